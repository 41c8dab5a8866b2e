package dev.snpsim.host.nativekvm;

import dev.snpsim.host.ratelimit.RateLimiterPreset;
import java.time.Duration;

/**
 * What {@link NativeScenario} runs: one simulated SNP host in real time with one VM whose vCPUs
 * are real KVM vCPUs.
 *
 * @param vcpus            real vCPUs (and simulated ones), each on its own thread
 * @param requestsPerVcpu  extended guest requests each vCPU completes (BUSY and INVALID_LEN retries not counted)
 * @param initialCertPages certificate pages the guest offers at first; fewer than the host's
 *                         table needs makes the first request of each vCPU end in INVALID_LEN
 * @param maxCertPages     certificate pages each vCPU has room for
 * @param rateLimiter      the host rate limiter preset ({@link RateLimiterPreset#parse}); per VM
 *                         with an interval above one request's round trip makes BUSY happen
 * @param pspRequestTime   the PSP's service time for one SNP_GUEST_REQUEST
 * @param seed             seeds the simulated host (key hierarchy, chip id, random streams)
 * @param timeout          the most the run may take; then it is stopped
 */
public record NativeScenarioConfig(int vcpus, int requestsPerVcpu, int initialCertPages, int maxCertPages,
        String rateLimiter, Duration pspRequestTime, long seed, Duration timeout) {

    public NativeScenarioConfig {
        if (vcpus < 1 || vcpus > NativeVmConfig.MAX_VCPUS) {
            throw new IllegalArgumentException("vcpus is " + vcpus + " (expected: 1.." + NativeVmConfig.MAX_VCPUS + ")");
        }
        if (requestsPerVcpu < 0) {
            throw new IllegalArgumentException("requestsPerVcpu is " + requestsPerVcpu + " (expected: >= 0)");
        }
        new GuestProgramConfig(requestsPerVcpu, initialCertPages, maxCertPages); // checks the page counts
        RateLimiterPreset.parse(rateLimiter);
        if (pspRequestTime == null || pspRequestTime.isNegative()) {
            throw new IllegalArgumentException("pspRequestTime is " + pspRequestTime + " (expected: >= 0)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout is " + timeout + " (expected: > 0)");
        }
    }

    /**
     * {@code native-smoke}'s defaults: 4 vCPUs x 300 requests, 1 certificate page offered at
     * first (the table needs 2), room for 4; a per-VM limiter of one request per 5 ms, burst 1
     * (the 2025 per-VM proposal's shape with a shorter interval; one request's round trip through
     * the simulated host takes a few ms, so the next request often comes sooner and gets BUSY,
     * and the run still ends in seconds); PSP service time 1 ms; seed 1; 5 minutes.
     */
    public static NativeScenarioConfig defaults() {
        return new NativeScenarioConfig(4, 300, 1, 4, "per-vm-5-1", Duration.ofMillis(1), 1, Duration.ofMinutes(5));
    }

    public NativeScenarioConfig withVcpus(int n) {
        return new NativeScenarioConfig(n, requestsPerVcpu, initialCertPages, maxCertPages, rateLimiter, pspRequestTime,
                seed, timeout);
    }

    public NativeScenarioConfig withRequestsPerVcpu(int n) {
        return new NativeScenarioConfig(vcpus, n, initialCertPages, maxCertPages, rateLimiter, pspRequestTime, seed,
                timeout);
    }

    public NativeScenarioConfig withRateLimiter(String preset) {
        return new NativeScenarioConfig(vcpus, requestsPerVcpu, initialCertPages, maxCertPages, preset, pspRequestTime,
                seed, timeout);
    }

    public NativeScenarioConfig withPspRequestTime(Duration t) {
        return new NativeScenarioConfig(vcpus, requestsPerVcpu, initialCertPages, maxCertPages, rateLimiter, t, seed,
                timeout);
    }

    public NativeScenarioConfig withTimeout(Duration t) {
        return new NativeScenarioConfig(vcpus, requestsPerVcpu, initialCertPages, maxCertPages, rateLimiter,
                pspRequestTime, seed, t);
    }
}
