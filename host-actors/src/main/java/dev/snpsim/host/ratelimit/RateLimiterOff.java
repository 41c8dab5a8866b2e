package dev.snpsim.host.ratelimit;

/** No host rate limit: every request reaches the PSP (upstream Linux today). */
public final class RateLimiterOff implements RateLimiter {

    @Override
    public boolean tryAcquire(String vmId, long nowNanos) {
        return true;
    }

    @Override
    public String name() {
        return "off";
    }

    @Override
    public String toString() {
        return name();
    }
}
