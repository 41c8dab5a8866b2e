/**
 * The launch digest (SNP ABI spec, SNP_LAUNCH_UPDATE and "PAGE_INFO"): the running
 * SHA-384 over PAGE_INFO structures whose final value is the report's MEASUREMENT.
 */
package dev.snpsim.abi.launch;
