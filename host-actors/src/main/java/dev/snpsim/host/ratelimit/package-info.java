/**
 * Host rate limiters in front of the PSP (SPEC.md section 11): a guest request that a
 * limiter refuses is answered with the GHCB VMM error BUSY instead of reaching the
 * firmware. Variants share the stem {@code RateLimiter}; {@link
 * dev.snpsim.host.ratelimit.RateLimiterPreset} names the proposals made for Linux.
 * Per-VM limiters follow the kernel's {@code __ratelimit()} windows, as the proposals do; the
 * host-wide limiter is a token bucket. Deterministic: the caller passes the (simulated) time.
 */
package dev.snpsim.host.ratelimit;
