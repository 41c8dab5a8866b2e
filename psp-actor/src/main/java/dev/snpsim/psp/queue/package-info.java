/**
 * Queue disciplines in front of the serial PSP: {@link dev.snpsim.psp.queue.QueueFifo} (the real
 * device's mutex queue), {@link dev.snpsim.psp.queue.QueueDrr} (per-VM deficit round robin) and
 * {@link dev.snpsim.psp.queue.QueueLaunchFirst}. A new discipline is one class implementing
 * {@link dev.snpsim.psp.queue.QueueDiscipline}; pass {@code times -> new MyQueue()} as the
 * config's factory. Disciplines must be deterministic: order by arrival sequence, never by hash.
 */
package dev.snpsim.psp.queue;
