package dev.snpsim.sim;

/**
 * Told how a simulation run is going, for progress bars. Called on the thread that drives the
 * simulation, every N events or every so many milliseconds of wall time (see
 * {@link Simulation#setProgressListener(ProgressListener, long, java.time.Duration)}) and at the
 * end of every run. Must be quick and must not touch the actors.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param simNanos simulated nanoseconds since the simulation started
     * @param wallNanos wall-clock nanoseconds since the listener was set
     * @param events tasks run plus timers fired since the simulation started
     */
    void onProgress(long simNanos, long wallNanos, long events);
}
