package dev.snpsim.host.ratelimit;

/**
 * A token bucket in exact integer arithmetic. The rate is {@code tokensPerPeriod} tokens
 * every {@code periodNanos}; it holds at most {@code burst} tokens and starts full at its
 * first use. Credit is kept in integer units: one token costs {@code periodNanos} units
 * and every elapsed nanosecond adds {@code tokensPerPeriod} units, so nothing is rounded.
 */
final class TokenBucket {
    private final long cost;
    private final long accrualPerNano;
    private final long capacity;
    private long credit;
    private long last;
    private boolean started;

    TokenBucket(long periodNanos, long tokensPerPeriod, long burst) {
        this.cost = periodNanos;
        this.accrualPerNano = tokensPerPeriod;
        this.capacity = Math.multiplyExact(periodNanos, burst);
    }

    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (credit >= cost) {
            credit -= cost;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code nowNanos} until a token is available (0 if one is now). */
    long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        long missing = cost - credit;
        return missing <= 0 ? 0 : (missing + accrualPerNano - 1) / accrualPerNano;
    }

    private void refill(long nowNanos) {
        if (!started) {
            started = true;
            credit = capacity;
            last = nowNanos;
            return;
        }
        if (nowNanos < last) {
            throw new IllegalArgumentException(
                    "time went backwards: " + nowNanos + " ns after " + last + " ns");
        }
        long elapsed = nowNanos - last;
        last = nowNanos;
        long missing = capacity - credit;
        // elapsed * accrual may overflow for long idle gaps: compare by division first
        if (elapsed >= (missing + accrualPerNano - 1) / accrualPerNano) {
            credit = capacity;
        } else {
            credit += elapsed * accrualPerNano;
        }
    }
}
