/**
 * SEV-SNP binary formats and cryptography: attestation reports, certificate tables,
 * guest messages, GHCB and KVM exit structures, the AMD key hierarchy, report signing and
 * verification, and the launch digest. Pure byte and crypto code: no I/O, no actors.
 */
package dev.snpsim.abi;
