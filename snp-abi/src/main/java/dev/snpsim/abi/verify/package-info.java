/**
 * What a relying party runs on an attestation report: decode it, check the AMD chain
 * (ARK -> ASK/ASVK -> VCEK/VLEK), the signing key kind, the ECDSA signature, and that the
 * endorsement key certificate matches the report's REPORTED_TCB and CHIP_ID. The answer
 * is a typed {@link dev.snpsim.abi.verify.Verdict}, never a bare boolean or an exception.
 */
package dev.snpsim.abi.verify;
