package dev.snpsim.sim;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Drives real time: waits on the wall clock, polling every millisecond. "Idle" means no task has
 * been queued or running on the default dispatcher for {@link #QUIET_NANOS}; pending timers of
 * Pekko's real scheduler are not visible, so a gap between timers longer than that looks idle.
 */
final class RealtimeDriver implements Driver {

    /** How long the dispatcher must stay empty to count as idle. */
    static final long QUIET_NANOS = 100_000_000L;
    private static final long POLL_NANOS = 1_000_000L;

    private final SimClock clock;
    private final CountingExecutorConfigurator.Counts counts;

    RealtimeDriver(SimClock clock, CountingExecutorConfigurator.Counts counts) {
        this.clock = clock;
        this.counts = counts;
    }

    @Override
    public RunStats run(long endNanos, BooleanSupplier stop, boolean advanceToEnd, boolean untilIdle,
            Progress progress) {
        long wall0 = System.nanoTime();
        long sim0 = clock.now();
        long events0 = events();
        long quietSince = -1;
        boolean idle = false;
        while (true) {
            if (stop != null && stop.getAsBoolean()) {
                break;
            }
            long now = clock.now();
            if (now >= endNanos) {
                break;
            }
            if (untilIdle) {
                if (counts.inFlight.get() == 0) {
                    if (quietSince < 0) {
                        quietSince = now;
                    } else if (now - quietSince >= QUIET_NANOS) {
                        idle = true;
                        break;
                    }
                } else {
                    quietSince = -1;
                }
            }
            progress.maybeReport(now, events());
            LockSupport.parkNanos(Math.min(POLL_NANOS, endNanos - now));
        }
        long now = clock.now();
        progress.report(now, events());
        return new RunStats(now - sim0, System.nanoTime() - wall0, events() - events0, idle);
    }

    @Override
    public long now() {
        return clock.now();
    }

    @Override
    public long events() {
        return counts.finished.get();
    }

    @Override
    public int pendingTimers() {
        return -1;
    }
}
