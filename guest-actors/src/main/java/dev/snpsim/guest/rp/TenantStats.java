package dev.snpsim.guest.rp;

import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverError;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.Metrics;
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

    public TenantStats(Metrics metrics, String tenant) {
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
    }

    /** A report the relying party checked, answered {@code latencyNanos} after its intended send time. */
    public void report(Check check, int busy, long latencyNanos) {
        requests.increment();
        outcomes[check.outcome().ordinal()].increment();
        busyRetries.add(busy);
        latency.recordValue(Math.max(0, latencyNanos));
    }

    /** A derived key received. */
    public void derivedKey(int busy, long latencyNanos) {
        requests.increment();
        derivedKeys.increment();
        busyRetries.add(busy);
        latency.recordValue(Math.max(0, latencyNanos));
    }

    /** A driver failure. */
    public void failure(Driver.Failed f, long latencyNanos) {
        requests.increment();
        busyRetries.add(f.busyRetries());
        latency.recordValue(Math.max(0, latencyNanos));
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
