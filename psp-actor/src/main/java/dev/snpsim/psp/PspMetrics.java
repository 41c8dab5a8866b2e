package dev.snpsim.psp;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.metrics.TimeSeries;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The PSP's metric keys (prefix = {@link PspConfig#name()}, "psp" by default) and the recording
 * of them. The key names are listed in this package's {@code package-info.java}.
 *
 * <p>Per VM it keeps summaries (count, sum, min, max), not histograms: a histogram's buckets
 * grow to ~150 KB over a nanosecond range, which at 10,000 guests would take most of the heap.
 * The PSP-wide wait and service figures stay histograms (percentiles).
 */
public final class PspMetrics {
    private final Metrics metrics;
    private final String p;
    private final Counter busy;
    private final Counter commands;
    private final Counter queueFull;
    private final TimeSeries depth;
    private final TimeSeries utilisation;
    private final Histogram waitAll;
    private final Histogram serviceAll;

    PspMetrics(Metrics metrics, String prefix, Duration window) {
        this.metrics = metrics;
        this.p = prefix;
        this.busy = metrics.counter(busyKey(prefix));
        this.commands = metrics.counter(prefix + "/commands");
        this.queueFull = metrics.counter(prefix + "/queue-full");
        this.depth = metrics.timeSeries(prefix + "/queue-depth", window);
        this.utilisation = metrics.timeSeries(prefix + "/utilisation", window);
        this.waitAll = metrics.histogram(prefix + "/wait");
        this.serviceAll = metrics.histogram(prefix + "/service");
    }

    /** Key of the counter of busy nanoseconds. */
    public static String busyKey(String prefix) {
        return prefix + "/busy-ns";
    }

    /** Key of the counter of completed commands of {@code kind} with {@code status}. */
    public static String commandKey(String prefix, CommandKind kind, FirmwareStatus status) {
        return prefix + "/cmd/" + kind.name() + "/" + status.name();
    }

    /** Busy time over elapsed time: the fraction of {@code elapsedNanos} the PSP was serving. */
    public static double utilisation(Metrics metrics, String prefix, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : metrics.counter(busyKey(prefix)).get() / (double) elapsedNanos;
    }

    void queueDepth(long now, int n) {
        depth.record(now, n);
    }

    void started(String vmId, long waitNanos) {
        waitAll.recordValue(waitNanos);
        metrics.summary(p + "/wait/" + vmId).record(waitNanos);
    }

    void completed(long now, String vmId, CommandKind kind, FirmwareStatus status, long serviceNanos) {
        busy.add(serviceNanos);
        commands.increment();
        utilisation.record(now, serviceNanos);
        serviceAll.recordValue(serviceNanos);
        metrics.summary(p + "/service/" + vmId).record(serviceNanos);
        metrics.counter(commandKey(p, kind, status)).increment();
    }

    void refused(String vmId) {
        queueFull.increment();
        metrics.counter(p + "/queue-full/" + vmId).increment();
    }
}
