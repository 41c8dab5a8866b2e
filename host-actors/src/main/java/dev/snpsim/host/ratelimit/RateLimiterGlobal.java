package dev.snpsim.host.ratelimit;

/**
 * One token bucket shared by every VM on the host: {@code rateHz} requests per second on
 * average, {@code burst} at once. A host-wide budget for the PSP; no kernel proposal has
 * one (the 2025 kHz module parameter limits each VM), so it serves as a comparison point.
 */
public final class RateLimiterGlobal implements RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private final long rateHz;
    private final long burst;
    private final TokenBucket bucket;

    public RateLimiterGlobal(long rateHz, long burst) {
        if (rateHz <= 0) {
            throw new IllegalArgumentException("rate is " + rateHz + " hz (expected: > 0)");
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("burst is " + burst + " (expected: > 0)");
        }
        this.rateHz = rateHz;
        this.burst = burst;
        this.bucket = new TokenBucket(NANOS_PER_SECOND, rateHz, burst);
    }

    public long rateHz() {
        return rateHz;
    }

    public long burst() {
        return burst;
    }

    @Override
    public boolean tryAcquire(String vmId, long nowNanos) {
        return bucket.tryTake(nowNanos);
    }

    /** Nanoseconds until the next request would be admitted (0 when it would be now). */
    public long nanosUntilAdmitted(long nowNanos) {
        return bucket.nanosUntilToken(nowNanos);
    }

    @Override
    public String name() {
        String rate = rateHz % 1000 == 0 ? (rateHz / 1000) + "khz" : rateHz + "hz";
        return "global-" + rate + (burst == 1 ? "" : "-" + burst);
    }

    @Override
    public String toString() {
        return name();
    }
}
