package dev.snpsim.sim;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * A Pekko scheduler on virtual time ({@code pekko.scheduler.implementation}). Timers wait in a
 * queue ordered by (due nanoseconds, scheduling sequence) and fire only when the simulation
 * driver advances the clock to them; nothing sleeps and no thread is started.
 *
 * <p>Set up by {@link SimConfig#virtual(long)}; not meant to be used directly. Pekko instantiates
 * it reflectively with the constructor below.
 */
public final class VirtualScheduler implements Scheduler, Closeable {

    private final SimLoop loop = new SimLoop();

    /**
     * The constructor Pekko calls.
     *
     * @param config the actor system's configuration (unused)
     * @param log the scheduler log (unused)
     * @param threadFactory unused: virtual time needs no thread
     */
    public VirtualScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
        // nothing to configure: the loop is created empty at time 0
    }

    SimLoop loop() {
        return loop;
    }

    /** Simulated nanoseconds since the simulation started. */
    public long nowNanos() {
        return loop.now();
    }

    @Override
    public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
        return loop.schedule(delay.toNanos(), 0, TimerEntry.Repeat.ONCE, runnable, executor);
    }

    /** Pekko's {@code schedule} (deprecated there, still abstract) is fixed-rate. */
    @Override
    @SuppressWarnings("deprecation")
    public Cancellable schedule(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable,
            ExecutionContext executor) {
        return scheduleAtFixedRate(initialDelay, interval, runnable, executor);
    }

    @Override
    public Cancellable scheduleAtFixedRate(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable,
            ExecutionContext executor) {
        return loop.schedule(initialDelay.toNanos(), interval.toNanos(), TimerEntry.Repeat.FIXED_RATE, runnable,
                executor);
    }

    @Override
    public Cancellable scheduleWithFixedDelay(FiniteDuration initialDelay, FiniteDuration delay, Runnable runnable,
            ExecutionContext executor) {
        return loop.schedule(initialDelay.toNanos(), delay.toNanos(), TimerEntry.Repeat.FIXED_DELAY, runnable,
                executor);
    }

    /** One timer per nanosecond: virtual time has no tick. */
    @Override
    public double maxFrequency() {
        return 1e9;
    }

    /**
     * Called by Pekko when the actor system has terminated: refuses new timers and, like Pekko's
     * own scheduler, runs the tasks of the timers that had not fired (dispatcher shutdowns).
     */
    @Override
    public void close() {
        List<TimerEntry> left = loop.close();
        for (TimerEntry t : left) {
            try {
                t.executor.execute(t.task);
            } catch (RuntimeException e) {
                // the system is gone; a task that cannot run any more is of no consequence
            }
        }
    }
}
