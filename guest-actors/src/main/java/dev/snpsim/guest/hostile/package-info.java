/**
 * Guests that misbehave on purpose, to show that the host answers each abuse with the error the
 * GHCB spec, the firmware ABI and KVM give, and that no other tenant is affected:
 * {@link dev.snpsim.guest.hostile.HostileGuest} crafts its own VMGEXITs (replays, stale sequence
 * numbers, tampered ciphertext, foreign or wiped keys, bad certificate buffers, absurd page
 * counts, a VMPL above its key's, requests from a non-SNP VM);
 * {@link dev.snpsim.guest.hostile.Flooder} keeps every vCPU of its guest requesting back to back,
 * optionally without the driver's 2 s sleep after BUSY.
 */
package dev.snpsim.guest.hostile;
