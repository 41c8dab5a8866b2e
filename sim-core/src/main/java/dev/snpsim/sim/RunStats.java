package dev.snpsim.sim;

/**
 * What one call to {@code Simulation.run*} did.
 *
 * @param simulatedNanos simulated time that passed during the run
 * @param wallNanos wall-clock time the run took
 * @param events tasks run plus timers fired (in real-time mode: tasks run on the default dispatcher)
 * @param idle true if the run ended because nothing was left to do: no queued task and no
 *        pending timer (virtual), or no task for the quiet period (real time)
 */
public record RunStats(long simulatedNanos, long wallNanos, long events, boolean idle) {

    /** Simulated nanoseconds per wall nanosecond; infinite if no wall time passed. */
    public double speedup() {
        return wallNanos == 0 ? Double.POSITIVE_INFINITY : (double) simulatedNanos / wallNanos;
    }

    /** Events per wall-clock second. */
    public double eventsPerWallSecond() {
        return wallNanos == 0 ? Double.POSITIVE_INFINITY : events * 1e9 / wallNanos;
    }
}
