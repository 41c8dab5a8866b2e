/**
 * Macro benchmarks of sim-core: messages and timers per wall second on the one simulation
 * thread, and the speed-up of a sparse simulated day. Run {@link dev.snpsim.bench.sim.SimCoreBench}.
 */
package dev.snpsim.bench.sim;
