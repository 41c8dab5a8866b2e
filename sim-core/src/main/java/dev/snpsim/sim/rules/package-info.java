/**
 * Checks of the model-code rules of DESIGN.md (time only from SimClock, waiting only with Pekko
 * timers, randomness only from seeded streams), run as a test over the model modules' sources.
 */
package dev.snpsim.sim.rules;
