/**
 * The simulation's event trace: canonical events folded into a SHA-256 digest, optionally
 * written to a file, and {@link dev.snpsim.sim.trace.TraceDiff} to find where two runs diverge.
 */
package dev.snpsim.sim.trace;
