package dev.snpsim.sim.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * A latency histogram per fixed window of simulated time, for percentiles over time (a
 * windowed p99). Windows are indexed from time zero; a window with no value has no entry.
 *
 * <p>Each window gives a {@link PackedHistogram}: the same buckets and figures as a plain
 * {@link Histogram} of {@link Metrics#SIGNIFICANT_DIGITS} digits, in memory in proportion to the
 * buckets used (an hour of 1 s windows of plain histograms would take ~400 MB). Recording into a
 * packed histogram is slow, though, and this sits on the simulation's hot path (one value per
 * answer), so a window keeps its first {@value #RAW_LIMIT} values as they are and packs them
 * only when it fills up or is read.
 */
public final class WindowedHistogram {
    /** Values a window keeps unpacked. */
    static final int RAW_LIMIT = 512;

    /** One window's start and its values. */
    public record Window(long startNanos, Histogram histogram) {
    }

    /** A window's values: raw while few, packed after. */
    private static final class Values {
        private long[] raw = new long[8];
        private int n;
        private PackedHistogram packed;

        void record(long v) {
            if (packed != null) {
                packed.recordValue(v);
            } else if (n < RAW_LIMIT) {
                if (n == raw.length) {
                    raw = Arrays.copyOf(raw, Math.min(RAW_LIMIT, 2 * n));
                }
                raw[n++] = v;
            } else {
                packed = pack();
                raw = null;
                packed.recordValue(v);
            }
        }

        PackedHistogram pack() {
            PackedHistogram h = new PackedHistogram(Metrics.SIGNIFICANT_DIGITS);
            h.setAutoResize(true);
            for (int i = 0; i < n; i++) {
                h.recordValue(raw[i]);
            }
            return h;
        }

        Histogram histogram() {
            return packed != null ? packed.copy() : pack();
        }

        /** Adds these values to {@code into}: one by one while raw, else the packed histogram. */
        void addTo(AbstractHistogram into) {
            if (packed != null) {
                into.add(packed);
            } else {
                for (int i = 0; i < n; i++) {
                    into.recordValue(raw[i]);
                }
            }
        }
    }

    /**
     * One window's values, read in place: {@link #addTo} adds them to another histogram without
     * building one for the window first (a window of a few values packed into a histogram of its
     * own costs a pass over all of that histogram's buckets when added).
     */
    public final class Span {
        private final long startNanos;
        private final Values values;

        private Span(long startNanos, Values values) {
            this.startNanos = startNanos;
            this.values = values;
        }

        public long startNanos() {
            return startNanos;
        }

        /** Adds the window's values to {@code into}. */
        public void addTo(AbstractHistogram into) {
            synchronized (WindowedHistogram.this) {
                values.addTo(into);
            }
        }
    }

    private final String key;
    private final long windowNanos;
    private final TreeMap<Long, Values> windows = new TreeMap<>();
    private long lastIndex = -1;
    private Values last;

    WindowedHistogram(String key, long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("windowed histogram " + key + ": window must be positive");
        }
        this.key = key;
        this.windowNanos = windowNanos;
    }

    public String key() {
        return key;
    }

    public long windowNanos() {
        return windowNanos;
    }

    /** Records {@code value} in the window holding {@code simNanos}. */
    public synchronized void record(long simNanos, long value) {
        long index = Math.max(0, simNanos) / windowNanos;
        if (index != lastIndex) {
            last = windows.computeIfAbsent(index, w -> new Values());
            lastIndex = index;
        }
        last.record(Math.max(0, value));
    }

    /** Every window that has values, in time order, read in place (see {@link Span}). */
    public synchronized List<Span> spans() {
        List<Span> out = new ArrayList<>(windows.size());
        windows.forEach((i, v) -> out.add(new Span(i * windowNanos, v)));
        return out;
    }

    /** Every window that has values, in time order (compact copies). */
    public synchronized List<Window> windows() {
        List<Window> out = new ArrayList<>(windows.size());
        windows.forEach((i, v) -> out.add(new Window(i * windowNanos, v.histogram())));
        return out;
    }
}
