package dev.snpsim.sim.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram per fixed window of simulated time, for percentiles over time (a
 * windowed p99). Windows are indexed from time zero; a window with no value has no entry.
 */
public final class WindowedHistogram {
    /** One window's start and its values. */
    public record Window(long startNanos, Histogram histogram) {
    }

    private final String key;
    private final long windowNanos;
    private final TreeMap<Long, Histogram> windows = new TreeMap<>();

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
            Histogram n = new Histogram(Metrics.SIGNIFICANT_DIGITS);
            n.setAutoResize(true);
            return n;
        });
        h.recordValue(Math.max(0, value));
    }

    /** Every window that has values, in time order (copies). */
    public synchronized List<Window> windows() {
        List<Window> out = new ArrayList<>(windows.size());
        windows.forEach((i, h) -> out.add(new Window(i * windowNanos, h.copy())));
        return out;
    }
}
