package dev.snpsim.sim.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * A latency histogram per fixed window of simulated time, for percentiles over time (a
 * windowed p99). Windows are indexed from time zero; a window with no value has no entry.
 *
 * <p>Each window is a {@link PackedHistogram}: the same buckets and figures as a plain
 * {@link Histogram} of {@link Metrics#SIGNIFICANT_DIGITS} digits, in memory in proportion to the
 * buckets used. A window holds few values, and an hour of 1 s windows of plain histograms would
 * take ~400 MB.
 */
public final class WindowedHistogram {
    /** One window's start and its values. */
    public record Window(long startNanos, Histogram histogram) {
    }

    private final String key;
    private final long windowNanos;
    private final TreeMap<Long, PackedHistogram> windows = new TreeMap<>();

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
        Histogram h = windows.computeIfAbsent(Math.max(0, simNanos) / windowNanos, w -> {
            PackedHistogram n = new PackedHistogram(Metrics.SIGNIFICANT_DIGITS);
            n.setAutoResize(true);
            return n;
        });
        h.recordValue(Math.max(0, value));
    }

    /** Every window that has values, in time order (compact copies). */
    public synchronized List<Window> windows() {
        List<Window> out = new ArrayList<>(windows.size());
        windows.forEach((i, h) -> out.add(new Window(i * windowNanos, h.copy())));
        return out;
    }
}
