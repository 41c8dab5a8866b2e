/**
 * The certificate table of an extended guest request (GHCB spec, SNP_GUEST_REQUEST with
 * certificates; SPEC.md section 8): GUID/offset/length entries ending in an all-zero
 * entry, followed by the DER certificates. The same layout is the certificate blob
 * that hosts (QEMU, snphost) store.
 */
package dev.snpsim.abi.certs;
