package dev.snpsim.sim.metrics;

import dev.snpsim.sim.SimClock;
import java.time.Duration;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Measurements of one simulation, by string key: latency histograms (HdrHistogram, 3
 * significant digits, auto-resizing), summaries (count, sum, min, max in constant memory, for
 * figures kept per guest), counters and time series in fixed windows of simulated time. All views iterate keys in sorted order, never hash order, so reports are deterministic.
 *
 * <pre>{@code
 * Metrics m = Metrics.get(context.getSystem());
 * m.histogram("latency/tenant-1").recordValue(nanos);
 * m.counter("busy/tenant-1").increment();
 * m.summary("psp/wait/vm-7").record(nanos);
 * m.timeSeries("psp/queue", Duration.ofSeconds(1)).record(now, depth);
 * }</pre>
 *
 * <p>Look a metric up once and keep it: the lookup is a sorted-map access (and building its key
 * an allocation). For a family of counters named after an enum, {@link EnumCounters} keeps each
 * one from its first use. In real-time mode
 * histograms are {@link ConcurrentHistogram}s so actors on several threads may record.
 */
public final class Metrics implements Extension {

    /** Significant decimal digits of every histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private static final ExtensionId<Metrics> ID = new ExtensionId<>() {
        @Override
        public Metrics createExtension(ActorSystem<?> system) {
            return new Metrics(!SimClock.get(system).isVirtual());
        }
    };

    /** The metrics of this actor system. */
    public static Metrics get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    private final boolean concurrent;
    private final ConcurrentSkipListMap<String, Histogram> histograms = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Summary> summaries = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Counter> counters = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, TimeSeries> series = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, WindowedHistogram> windowed = new ConcurrentSkipListMap<>();

    /**
     * Metrics outside an actor system.
     *
     * @param concurrent histograms safe for recording from several threads
     */
    public Metrics(boolean concurrent) {
        this.concurrent = concurrent;
    }

    /** The histogram of this key, created empty on first use. */
    public Histogram histogram(String key) {
        return histograms.computeIfAbsent(key, k -> {
            Histogram h = concurrent ? new ConcurrentHistogram(SIGNIFICANT_DIGITS) : new Histogram(SIGNIFICANT_DIGITS);
            h.setAutoResize(true);
            return h;
        });
    }

    /** The summary of this key, created empty on first use. */
    public Summary summary(String key) {
        return summaries.computeIfAbsent(key, k -> new Summary());
    }

    /** The counter of this key, created at zero on first use. */
    public Counter counter(String key) {
        return counters.computeIfAbsent(key, k -> new Counter());
    }

    /**
     * The time series of this key with this window, created empty on first use.
     *
     * @throws IllegalArgumentException if the key exists with another window
     */
    public TimeSeries timeSeries(String key, Duration window) {
        TimeSeries ts = series.computeIfAbsent(key, k -> new TimeSeries(k, window.toNanos()));
        if (ts.windowNanos() != window.toNanos()) {
            throw new IllegalArgumentException("time series " + key + " has window " + ts.windowNanos()
                    + " ns (asked: " + window.toNanos() + " ns)");
        }
        return ts;
    }

    /**
     * The windowed histogram of this key (one histogram per window of simulated time), created
     * empty on first use.
     *
     * @throws IllegalArgumentException if the key exists with another window
     */
    public WindowedHistogram windowedHistogram(String key, Duration window) {
        WindowedHistogram w = windowed.computeIfAbsent(key, k -> new WindowedHistogram(k, window.toNanos()));
        if (w.windowNanos() != window.toNanos()) {
            throw new IllegalArgumentException("windowed histogram " + key + " has window " + w.windowNanos()
                    + " ns (asked: " + window.toNanos() + " ns)");
        }
        return w;
    }

    /** All windowed histograms by key, sorted. */
    public NavigableMap<String, WindowedHistogram> windowedHistograms() {
        return java.util.Collections.unmodifiableNavigableMap(windowed);
    }

    /** All histograms by key, sorted. */
    public NavigableMap<String, Histogram> histograms() {
        return java.util.Collections.unmodifiableNavigableMap(histograms);
    }

    /** All summaries by key, sorted. */
    public NavigableMap<String, Summary> summaries() {
        return java.util.Collections.unmodifiableNavigableMap(summaries);
    }

    /** All counters by key, sorted. */
    public NavigableMap<String, Counter> counters() {
        return java.util.Collections.unmodifiableNavigableMap(counters);
    }

    /** All time series by key, sorted. */
    public NavigableMap<String, TimeSeries> timeSeries() {
        return java.util.Collections.unmodifiableNavigableMap(series);
    }
}
