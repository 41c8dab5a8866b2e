package dev.snpsim.host.kds;

import java.util.HashMap;
import java.util.Map;

/**
 * AMD KDS's download limit: per {@link KdsKey}, one request is served, and every further
 * request within {@code intervalNanos} of it is answered HTTP 429 (too many requests).
 * A refused request does not extend the window. Time is passed in (simulation clock).
 */
public final class KdsRateLimit {
    /** About one request per 10 s per chip and TCB (SPEC.md section 11). */
    public static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;
    private static final int PRUNE_ABOVE = 4096;

    private final long intervalNanos;
    private final Map<KdsKey, Long> lastServed = new HashMap<>();

    public KdsRateLimit() {
        this(DEFAULT_INTERVAL_NANOS);
    }

    public KdsRateLimit(long intervalNanos) {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("interval is " + intervalNanos + " ns (expected: >= 0)");
        }
        this.intervalNanos = intervalNanos;
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** True (and the window restarts) when a request for {@code key} is served at {@code nowNanos}. */
    public boolean tryAcquire(KdsKey key, long nowNanos) {
        if (key == null) {
            throw new IllegalArgumentException("kds key is missing");
        }
        if (retryAfterNanos(key, nowNanos) > 0) {
            return false;
        }
        if (lastServed.size() >= PRUNE_ABOVE) {
            // the outcome of removing every expired entry does not depend on iteration order
            lastServed.values().removeIf(t -> nowNanos - t >= intervalNanos);
        }
        lastServed.put(key, nowNanos);
        return true;
    }

    /** Nanoseconds until a request for {@code key} would be served (0: now); the HTTP Retry-After. */
    public long retryAfterNanos(KdsKey key, long nowNanos) {
        Long last = lastServed.get(key);
        if (last == null) {
            return 0;
        }
        if (nowNanos < last) {
            throw new IllegalArgumentException("time went backwards: " + nowNanos + " ns after " + last + " ns");
        }
        return Math.max(0, last + intervalNanos - nowNanos);
    }
}
