package dev.snpsim.scenario.run;

import dev.snpsim.sim.metrics.Metrics;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end of the warm-up: histograms and summaries restart empty and the counters' values are kept, so
 * that the results count only what happened afterwards.
 */
final class Warmup {
    private final Map<String, Long> counters = new TreeMap<>();
    private long atNanos;

    /** Called once, on the simulation thread, when the warm-up ends. */
    synchronized void end(Metrics metrics, long nowNanos) {
        atNanos = nowNanos;
        metrics.counters().forEach((k, c) -> counters.put(k, c.get()));
        metrics.histograms().values().forEach(org.HdrHistogram.Histogram::reset);
        metrics.summaries().values().forEach(dev.snpsim.sim.metrics.Summary::reset);
    }

    /** A counter's value as it was when the warm-up ended (0 if it did not exist then). */
    synchronized long before(String key) {
        return counters.getOrDefault(key, 0L);
    }

    synchronized long atNanos() {
        return atNanos;
    }
}
