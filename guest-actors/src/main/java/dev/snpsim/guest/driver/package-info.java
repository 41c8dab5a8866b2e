/**
 * The guest's {@code sev-guest} driver (Linux {@code drivers/virt/coco/sev-guest} and
 * {@code arch/x86/coco/sev}): one request at a time per guest, sequence numbers kept in the
 * secrets page's OS area, the VMPCK of the driver's VMPL, BUSY retries every 2 s for at most
 * 60 s, INVALID_LEN answered by resending the same message as a plain request, and the VMPCK
 * wiped on any other failure (SPEC.md section 5). {@link dev.snpsim.guest.driver.Driver} is the
 * actor; {@link dev.snpsim.guest.driver.MessageChannel} the pure sealing and sequence logic.
 */
package dev.snpsim.guest.driver;
