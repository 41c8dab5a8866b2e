/**
 * The SEV-SNP attestation report (SNP ABI spec, ATTESTATION_REPORT structure) and the
 * values inside it: TCB_VERSION, guest policy, platform info, signer info and the ECDSA
 * P-384 signature. Decoding checks every version bound and must-be-zero range; every
 * decode has an encode that reproduces the bytes.
 */
package dev.snpsim.abi.report;
