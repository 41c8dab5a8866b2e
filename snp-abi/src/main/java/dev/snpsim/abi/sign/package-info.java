/**
 * Report signing as the PSP firmware does it: ECDSA P-384 with SHA-384 over report bytes
 * 0x000..0x29F, r and s written little-endian into the SIGNATURE field. Nonces are
 * deterministic (RFC 6979), so a simulation run signs the same report to the same bytes.
 */
package dev.snpsim.abi.sign;
