/**
 * The PSP firmware as a plain state machine, no actors: platform state (TCBs, firmware
 * version, masks, VLEK), guest contexts and the commands that act on them, including
 * SNP_GUEST_REQUEST (open, check, build and sign a report or derive a key, seal). Every
 * command returns a {@link dev.snpsim.abi.ghcb.FirmwareStatus} with its data; nothing throws
 * across the boundary. The actor in {@code dev.snpsim.psp} serialises and times the calls.
 */
package dev.snpsim.psp.firmware;
