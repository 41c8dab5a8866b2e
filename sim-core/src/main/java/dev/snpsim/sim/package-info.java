/**
 * Deterministic virtual time for Pekko Typed, and its real-time twin.
 *
 * <p>A {@link dev.snpsim.sim.Simulation} owns an actor system whose scheduler
 * ({@link dev.snpsim.sim.VirtualScheduler}) keeps time as {@code long} nanoseconds in a queue
 * ordered by (due, sequence) and whose dispatchers ({@link dev.snpsim.sim.VirtualExecutorConfigurator})
 * run every actor on the one thread that drives the simulation. Model code reads time from
 * {@link dev.snpsim.sim.SimClock}, waits with Pekko timers, draws randomness from
 * {@link dev.snpsim.sim.SimRandom} and records events in {@link dev.snpsim.sim.trace.Trace}; the
 * same code runs unchanged in real time ({@link dev.snpsim.sim.SimConfig#realtime(long)}).
 * Tests use {@link dev.snpsim.sim.SimProbe}.
 */
package dev.snpsim.sim;
