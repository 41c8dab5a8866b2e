package dev.snpsim.host.ratelimit;

import java.util.HashMap;
import java.util.Map;

/**
 * A limit per VM with the kernel's {@code __ratelimit()} semantics (see {@link RateWindow}):
 * at most {@code burst} guest requests per {@code interval}, counted in windows. This is
 * what the proposals implement: the 2022 module parameters
 * ({@code guest_request_throttle_s=2}, {@code _burst=2}, i.e. 2 requests per 2 s per VM),
 * the per-VM {@code {interval_ms, burst}} command ({1000,1}, {2000,2}) and the 2025
 * {@code sev_snp_request_ratelimit_khz} module parameter (burst 1, one interval derived
 * from the rate, applied to every VM). Windows are timed in nanoseconds, not jiffies.
 */
public final class RateLimiterPerVm implements RateLimiter {
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long intervalMs;
    private final long rateHz;
    private final long burst;
    private final long intervalNanos;
    private final Map<String, RateWindow> windows = new HashMap<>();

    /** At most {@code burst} requests per {@code intervalMs} per VM. */
    public RateLimiterPerVm(long intervalMs, long burst) {
        this(intervalMs, 0, burst);
    }

    /**
     * {@code rateHz} requests per second per VM on average, in windows of {@code burst}
     * requests (window = burst / rate, rounded down to a nanosecond).
     */
    public static RateLimiterPerVm ofRate(long rateHz, long burst) {
        if (rateHz <= 0) {
            throw new IllegalArgumentException("rate is " + rateHz + " hz (expected: > 0)");
        }
        return new RateLimiterPerVm(0, rateHz, burst);
    }

    private RateLimiterPerVm(long intervalMs, long rateHz, long burst) {
        if (rateHz == 0 && intervalMs <= 0) {
            throw new IllegalArgumentException("interval_ms is " + intervalMs + " (expected: > 0)");
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("burst is " + burst + " (expected: > 0)");
        }
        this.intervalMs = intervalMs;
        this.rateHz = rateHz;
        this.burst = burst;
        try {
            this.intervalNanos = rateHz == 0
                    ? Math.multiplyExact(intervalMs, NANOS_PER_MS)
                    : Math.multiplyExact(burst, NANOS_PER_SECOND) / rateHz;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("interval of rate limiter " + intervalMs + " ms / " + rateHz
                    + " hz, burst " + burst + " is too large", e);
        }
        if (intervalNanos == 0) {
            throw new IllegalArgumentException("rate " + rateHz + " hz with burst " + burst
                    + " leaves a window under 1 ns");
        }
    }

    /** The window length given at construction, or 0 for a limiter made with {@link #ofRate}. */
    public long intervalMs() {
        return intervalMs;
    }

    /** The rate per second, or 0 for a limiter made with an interval. */
    public long rateHz() {
        return rateHz;
    }

    public long burst() {
        return burst;
    }

    /** The window length in nanoseconds. */
    public long intervalNanos() {
        return intervalNanos;
    }

    @Override
    public boolean tryAcquire(String vmId, long nowNanos) {
        return window(vmId).tryTake(nowNanos);
    }

    /** Nanoseconds until {@code vmId} would be admitted (0 when it would be now). */
    public long nanosUntilAdmitted(String vmId, long nowNanos) {
        return window(vmId).nanosUntilAdmitted(nowNanos);
    }

    private RateWindow window(String vmId) {
        if (vmId == null) {
            throw new IllegalArgumentException("vm id is missing");
        }
        return windows.computeIfAbsent(vmId, id -> new RateWindow(intervalNanos, burst));
    }

    @Override
    public String name() {
        if (rateHz == 0) {
            return "per-vm-" + intervalMs + "-" + burst;
        }
        String rate = rateHz % 1000 == 0 ? (rateHz / 1000) + "khz" : rateHz + "hz";
        return "per-vm-" + rate + (burst == 1 ? "" : "-" + burst);
    }

    @Override
    public String toString() {
        return name();
    }
}
