package dev.snpsim.sim;

import java.util.function.BooleanSupplier;

/** Advances one simulation: the virtual loop or the real-time waiter. */
interface Driver {

    /**
     * Runs until {@code stop} says so, until endNanos, or (if untilIdle) until nothing is left.
     *
     * @param advanceToEnd when the system goes idle before endNanos, move the clock to endNanos
     */
    RunStats run(long endNanos, BooleanSupplier stop, boolean advanceToEnd, boolean untilIdle, Progress progress);

    /** Nanoseconds since the start. */
    long now();

    /** Events (tasks plus timers) so far. */
    long events();

    /** Tasks and timers that threw out of the executor (each is a bug; logged), 0 where not known. */
    default long taskFailures() {
        return 0;
    }

    /** Tasks submitted from a thread other than the one driving the simulation, 0 where not known. */
    default long foreignSubmits() {
        return 0;
    }

    /** Timers that may still fire, or -1 if not known (real time). */
    int pendingTimers();
}
