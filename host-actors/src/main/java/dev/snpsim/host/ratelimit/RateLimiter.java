package dev.snpsim.host.ratelimit;

/**
 * Decides, per guest request, whether it may go to the PSP now or is answered BUSY.
 * Implementations keep state and are confined to the actor that owns them; time is
 * passed in as nanoseconds of the simulation clock and must not go backwards.
 */
public interface RateLimiter {

    /**
     * Takes one admission for {@code vmId} at {@code nowNanos}.
     *
     * @return true when the request may go to the firmware, false when the host answers BUSY
     */
    boolean tryAcquire(String vmId, long nowNanos);

    /** The preset string that {@link RateLimiterPreset#parse(String)} turns into an equal limiter. */
    String name();
}
