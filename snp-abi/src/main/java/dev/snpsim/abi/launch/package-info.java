/**
 * The launch digest (SNP ABI spec, SNP_LAUNCH_UPDATE and "PAGE_INFO"): the running
 * SHA-384 over PAGE_INFO structures whose final value is the report's MEASUREMENT; the
 * secrets page firmware fills at launch (the guest's VMPCKs) and the ID block of
 * SNP_LAUNCH_FINISH.
 */
package dev.snpsim.abi.launch;
