package dev.snpsim.sim;

import org.apache.pekko.actor.Cancellable;
import scala.concurrent.ExecutionContext;

/**
 * One timer in the virtual scheduler's queue: a {@link Cancellable} ordered by (due, sequence).
 *
 * <p>A repeating timer is the same object re-inserted with a new due time and a new sequence
 * number after each firing, so the {@code Cancellable} handed out stays valid.
 */
final class TimerEntry implements Cancellable, Comparable<TimerEntry> {

    /** How a timer repeats. */
    enum Repeat {
        /** fires once */
        ONCE,
        /** next due = previous due + interval */
        FIXED_RATE,
        /** next due = firing time + interval */
        FIXED_DELAY
    }

    private final SimLoop loop;
    final Runnable task;
    final ExecutionContext executor;
    final Repeat repeat;
    final long intervalNanos;
    long due;
    long sequence;
    /** guarded by the loop's lock */
    boolean cancelled;
    /** guarded by the loop's lock: a one-shot timer that already fired */
    boolean done;

    TimerEntry(SimLoop loop, Runnable task, ExecutionContext executor, Repeat repeat, long intervalNanos) {
        this.loop = loop;
        this.task = task;
        this.executor = executor;
        this.repeat = repeat;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public boolean cancel() {
        return loop.cancel(this);
    }

    @Override
    public boolean isCancelled() {
        return loop.isCancelled(this);
    }

    @Override
    public int compareTo(TimerEntry o) {
        int c = Long.compare(due, o.due);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return "timer(due=" + due + "ns, seq=" + sequence + ", " + repeat + ")";
    }
}
