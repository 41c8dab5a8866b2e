package dev.snpsim.guest.rp;

import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverError;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.metrics.TimeSeries;
import dev.snpsim.sim.metrics.WindowedHistogram;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One tenant's outcome counters and latency histogram in {@link Metrics}, under the keys listed
 * in this package's documentation. Look-ups happen once, at construction.
 */
public final class TenantStats {
    private final Counter requests;
    private final Counter[] outcomes = new Counter[Outcome.values().length];
    private final Counter busyRetries;
    private final Counter enospc;
    private final Counter timeouts;
    private final Counter wiped;
    private final Counter enotty;
    private final Counter failed;
    private final Counter derivedKeys;
    private final Histogram latency;
    private final LongSupplier clock;
    private final WindowedHistogram latencyWindows;
    private final TimeSeries busyWindows;
    private final Counter guestCompleted;

    /** Tenant-level figures only (no per-window series, no per-guest count). */
    public TenantStats(Metrics metrics, String tenant) {
        this(metrics, tenant, null, null);
    }

    /**
     * With {@code guestId} and {@code clock} also the per-guest completion counter
     * ({@code guest/<t>/by-guest/<guest>/completed}) and, when a scenario runner registered them with
     * its window, the per-window series {@code guest/<t>/latency-w} (windowed histogram) and
     * {@code guest/<t>/busy-ts} (BUSY retries by completion time).
     */
    public TenantStats(Metrics metrics, String tenant, String guestId, LongSupplier clock) {
        String p = "guest/" + tenant + "/";
        requests = metrics.counter(p + "requests");
        for (Outcome o : Outcome.values()) {
            outcomes[o.ordinal()] = metrics.counter(p + o.metricKey());
        }
        busyRetries = metrics.counter(p + "busy-retries");
        enospc = metrics.counter(p + "enospc");
        timeouts = metrics.counter(p + "timeouts");
        wiped = metrics.counter(p + "vmpck-wiped");
        enotty = metrics.counter(p + "enotty");
        failed = metrics.counter(p + "failed");
        derivedKeys = metrics.counter(p + "derived-keys");
        latency = metrics.histogram(p + "latency");
        this.clock = clock;
        this.latencyWindows = clock == null ? null : metrics.windowedHistograms().get(p + "latency-w");
        this.busyWindows = clock == null ? null : metrics.timeSeries().get(p + "busy-ts");
        this.guestCompleted = guestId == null ? null : metrics.counter(p + "by-guest/" + guestId + "/completed");
    }

    private void windows(long latencyNanos, int busy, boolean completed) {
        windows(latencyNanos, busy, completed, clock == null ? 0 : clock.getAsLong());
    }

    private void windows(long latencyNanos, int busy, boolean completed, long now) {
        if (completed && guestCompleted != null) {
            guestCompleted.increment();
        }
        if (clock == null) {
            return;
        }
        if (latencyWindows != null && completed) {
            latencyWindows.record(now, Math.max(0, latencyNanos));
        }
        if (busyWindows != null && busy > 0) {
            busyWindows.record(now, busy);
        }
    }

    /** A report the relying party checked, answered {@code latencyNanos} after its intended send time. */
    public void report(Check check, int busy, long latencyNanos) {
        report(check, busy, latencyNanos, clock == null ? 0 : clock.getAsLong());
    }

    /**
     * A report whose answer arrived at simulated instant {@code answeredNanos} (the per-window
     * series count it there, however late the verdict came).
     */
    public void report(Check check, int busy, long latencyNanos, long answeredNanos) {
        requests.increment();
        outcomes[check.outcome().ordinal()].increment();
        busyRetries.add(busy);
        latency.recordValue(Math.max(0, latencyNanos));
        windows(latencyNanos, busy, true, answeredNanos);
    }

    /** A derived key received. */
    public void derivedKey(int busy, long latencyNanos) {
        requests.increment();
        derivedKeys.increment();
        busyRetries.add(busy);
        latency.recordValue(Math.max(0, latencyNanos));
        windows(latencyNanos, busy, true);
    }

    /** A driver failure. */
    public void failure(Driver.Failed f, long latencyNanos) {
        requests.increment();
        busyRetries.add(f.busyRetries());
        latency.recordValue(Math.max(0, latencyNanos));
        windows(latencyNanos, f.busyRetries(), false);
        if (f.error().wipesKey()) {
            wiped.increment();
        }
        switch (f.error()) {
            case NEED_PAGES -> enospc.increment();
            case ETIMEDOUT -> timeouts.increment();
            case ENOTTY -> enotty.increment();
            default -> failed.increment();
        }
    }

    /** True when a failure of this kind makes the guest's attestation unusable until relaunch. */
    public static boolean bricks(DriverError e) {
        return e.wipesKey() || e == DriverError.ENOTTY;
    }
}
