/**
 * The host's certificate store: the blob file in the GHCB certificate table format that
 * QEMU's certificate path and {@code snphost} share, rewritten atomically, and a lock
 * table with open-file-description semantics that keeps the blob in step with the key
 * the firmware signs with (SPEC.md section 4).
 */
package dev.snpsim.host.certstore;
