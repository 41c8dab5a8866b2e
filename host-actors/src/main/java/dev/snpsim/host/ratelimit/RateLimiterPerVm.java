package dev.snpsim.host.ratelimit;

import java.util.HashMap;
import java.util.Map;

/**
 * One token bucket per VM: {@code burst} requests at once, then one every
 * {@code intervalMs}. The 2022 module parameters ({@code guest_request_throttle_s=2},
 * {@code _burst=2}) and the 2025 per-VM {@code {interval_ms, burst}} proposal
 * ({1000,1}, {2000,2}) are instances. A VM's bucket starts full at its first request.
 */
public final class RateLimiterPerVm implements RateLimiter {
    private final long intervalMs;
    private final long burst;
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    public RateLimiterPerVm(long intervalMs, long burst) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval_ms is " + intervalMs + " (expected: > 0)");
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("burst is " + burst + " (expected: > 0)");
        }
        this.intervalMs = intervalMs;
        this.burst = burst;
        try {
            Math.multiplyExact(Math.multiplyExact(intervalMs, 1_000_000L), burst);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("interval_ms " + intervalMs + " times burst " + burst + " is too large", e);
        }
    }

    public long intervalMs() {
        return intervalMs;
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

    private TokenBucket bucket(String vmId) {
        if (vmId == null) {
            throw new IllegalArgumentException("vm id is missing");
        }
        return buckets.computeIfAbsent(vmId, id -> new TokenBucket(intervalMs * 1_000_000L, 1, burst));
    }

    @Override
    public String name() {
        return "per-vm-" + intervalMs + "-" + burst;
    }

    @Override
    public String toString() {
        return name();
    }
}
