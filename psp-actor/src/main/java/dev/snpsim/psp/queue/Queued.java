package dev.snpsim.psp.queue;

import dev.snpsim.psp.CommandKind;
import dev.snpsim.psp.Psp;

/**
 * A command waiting for the PSP.
 *
 * @param seq          arrival order at the PSP, unique and increasing (the tie-breaker of every discipline)
 * @param vmId         the guest context the command is for, or {@code "host"} for platform commands
 * @param kind         the command kind
 * @param arrivalNanos simulated time of arrival
 * @param command      the command itself
 */
public record Queued(long seq, String vmId, CommandKind kind, long arrivalNanos, Psp.Command command) {
}
