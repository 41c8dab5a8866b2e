/**
 * The simulated AMD key hierarchy (SPEC.md section 9): per product an ARK (RSA-4096,
 * self-signed), an ASK and an ASVK (RSA-4096, signed by the ARK), per chip and TCB a VCEK
 * (EC P-384, signed by the ASK), per cloud provider and TCB a VLEK (EC P-384, signed by the
 * ASVK), and the 432-byte VLEK hashstick the host loads into the firmware.
 *
 * <p>Certificates mirror the structure of AMD's real ones (names, serials, extensions and
 * their ASN.1 types, RSASSA-PSS SHA-384 parameters). Everything is deterministic from one
 * {@code long} seed: the same seed gives the same keys and the same certificate bytes.
 */
package dev.snpsim.abi.keys;
