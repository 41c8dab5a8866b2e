package dev.snpsim.sim.metrics;

import java.util.function.Function;

/**
 * The counters of one family keyed by an enum ({@code vmm.answer.ok}, {@code vmm.answer.again},
 * ...), each looked up in {@link Metrics} by its name once, on its first use, then kept: a hot
 * path increments without building a key or searching the sorted map. A counter whose constant
 * never comes up is never created, so the set of keys is the same as with a look-up per event.
 *
 * <p>Safe from any thread: two threads racing on a first use both get the one counter
 * {@link Metrics#counter} holds, and a {@link Counter} is safely published through its final
 * field.
 *
 * @param <E> the enum the counters are named after
 */
public final class EnumCounters<E extends Enum<E>> {
    private final Metrics metrics;
    private final Function<? super E, String> key;
    private final Counter[] counters;

    /**
     * @param metrics where the counters live
     * @param type the enum
     * @param key the counter's key for a constant
     */
    public EnumCounters(Metrics metrics, Class<E> type, Function<? super E, String> key) {
        this.metrics = metrics;
        this.key = key;
        this.counters = new Counter[type.getEnumConstants().length];
    }

    /** The counter of {@code e}, created at zero on first use. */
    public Counter get(E e) {
        Counter c = counters[e.ordinal()];
        if (c == null) {
            c = metrics.counter(key.apply(e));
            counters[e.ordinal()] = c;
        }
        return c;
    }

    /** Adds one to the counter of {@code e}. */
    public void increment(E e) {
        get(e).increment();
    }
}
