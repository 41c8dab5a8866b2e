package dev.snpsim.sim.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values aggregated in fixed windows of simulated time: window k covers
 * {@code [k*window, (k+1)*window)} ns and keeps count, sum, min and max of the values recorded
 * at instants inside it. Safe from any thread.
 */
public final class TimeSeries {

    /**
     * One window's aggregate.
     *
     * @param startNanos first instant of the window
     * @param count values recorded
     * @param sum their sum
     * @param min the smallest
     * @param max the largest
     */
    public record Window(long startNanos, long count, long sum, long min, long max) {
        /** Mean of the values, or NaN for an empty window. */
        public double mean() {
            return count == 0 ? Double.NaN : (double) sum / count;
        }
    }

    private final String key;
    private final long windowNanos;
    /** guarded by this; window index to aggregate {count, sum, min, max} */
    private final TreeMap<Long, long[]> windows = new TreeMap<>();
    /** guarded by this; the window recorded into last (values come mostly in time order) */
    private long lastIndex = -1;
    private long[] last;

    TimeSeries(String key, long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("time series " + key + " window is " + windowNanos
                    + " ns (expected: > 0)");
        }
        this.key = key;
        this.windowNanos = windowNanos;
    }

    /** The window length in ns. */
    public long windowNanos() {
        return windowNanos;
    }

    /** Records value at simulated instant simNanos (not before 0). */
    public synchronized void record(long simNanos, long value) {
        if (simNanos < 0) {
            throw new IllegalArgumentException("time series " + key + ": instant is " + simNanos
                    + " ns (expected: >= 0)");
        }
        long index = simNanos / windowNanos;
        long[] w = last;
        if (index != lastIndex) {
            w = windows.computeIfAbsent(index, k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            last = w;
            lastIndex = index;
        }
        w[0]++;
        w[1] += value;
        w[2] = Math.min(w[2], value);
        w[3] = Math.max(w[3], value);
    }

    /** Windows with at least one value, in time order. */
    public synchronized List<Window> windows() {
        List<Window> out = new ArrayList<>(windows.size());
        for (Map.Entry<Long, long[]> e : windows.entrySet()) {
            long[] w = e.getValue();
            out.add(new Window(e.getKey() * windowNanos, w[0], w[1], w[2], w[3]));
        }
        return out;
    }

    /**
     * Every window from the first instant 0 up to and including the one holding endNanos; empty
     * windows have count 0 and min = max = 0.
     */
    public synchronized List<Window> windowsUntil(long endNanos) {
        long last = endNanos / windowNanos;
        List<Window> out = new ArrayList<>((int) Math.min(last + 1, 1 << 20));
        for (long k = 0; k <= last; k++) {
            long[] w = windows.get(k);
            out.add(w == null ? new Window(k * windowNanos, 0, 0, 0, 0)
                    : new Window(k * windowNanos, w[0], w[1], w[2], w[3]));
        }
        return out;
    }
}
