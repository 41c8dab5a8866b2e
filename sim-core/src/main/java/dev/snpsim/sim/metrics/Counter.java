package dev.snpsim.sim.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** A counter; safe from any thread. */
public final class Counter {

    private final AtomicLong value = new AtomicLong();

    /** Adds one. */
    public void increment() {
        value.incrementAndGet();
    }

    /** Adds delta (may be negative). */
    public void add(long delta) {
        value.addAndGet(delta);
    }

    /** The current value. */
    public long get() {
        return value.get();
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
