/**
 * SNP guest messages (SNP ABI spec, "Guest Messages"; Linux {@code sev-guest}): the
 * 0x60-byte header, AES-256-GCM sealing with a VMPCK, and the MSG_REPORT and MSG_KEY
 * request and response payloads.
 */
package dev.snpsim.abi.msg;
