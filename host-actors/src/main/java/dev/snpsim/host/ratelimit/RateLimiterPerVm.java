package dev.snpsim.host.ratelimit;

import java.util.HashMap;
import java.util.Map;

/**
 * One token bucket per VM: {@code burst} requests at once, then one every
 * {@code intervalMs} (or {@code rateHz} per second). The 2022 module parameters
 * ({@code guest_request_throttle_s=2}, {@code _burst=2}) and the 2025 per-VM
 * {@code {interval_ms, burst}} proposal ({1000,1}, {2000,2}) are interval instances; the
 * 2025 {@code sev_snp_request_ratelimit_khz} module parameter gives every VM the same
 * rate, a rate instance. A VM's bucket starts full at its first request.
 */
public final class RateLimiterPerVm implements RateLimiter {
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long intervalMs;
    private final long rateHz;
    private final long burst;
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    /** One request every {@code intervalMs}, {@code burst} at once. */
    public RateLimiterPerVm(long intervalMs, long burst) {
        this(intervalMs, 0, burst);
    }

    /** {@code rateHz} requests per second per VM on average, {@code burst} at once. */
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
            Math.multiplyExact(periodNanos(), burst);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("interval_ms " + intervalMs + " times burst " + burst + " is too large", e);
        }
    }

    /** The interval between admissions, or 0 for a limiter made with {@link #ofRate}. */
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

    @Override
    public boolean tryAcquire(String vmId, long nowNanos) {
        return bucket(vmId).tryTake(nowNanos);
    }

    /** Nanoseconds until {@code vmId} would be admitted (0 when it would be now). */
    public long nanosUntilAdmitted(String vmId, long nowNanos) {
        return bucket(vmId).nanosUntilToken(nowNanos);
    }

    private long periodNanos() {
        return rateHz == 0 ? Math.multiplyExact(intervalMs, NANOS_PER_MS) : NANOS_PER_SECOND;
    }

    private TokenBucket bucket(String vmId) {
        if (vmId == null) {
            throw new IllegalArgumentException("vm id is missing");
        }
        return buckets.computeIfAbsent(vmId,
                id -> new TokenBucket(periodNanos(), rateHz == 0 ? 1 : rateHz, burst));
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
