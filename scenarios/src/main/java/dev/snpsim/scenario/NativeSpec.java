package dev.snpsim.scenario;

import java.time.Duration;

/**
 * The native backend: real vCPUs on {@code /dev/kvm} run a small guest program whose
 * VMGEXIT doorbells drive the simulated host's actors in real time.
 *
 * @param vcpus            real vCPUs, each on its own thread
 * @param requestsPerVcpu  extended report requests each vCPU completes
 * @param initialCertPages certificate pages the guest offers first (fewer than needed exercises INVALID_LEN)
 * @param maxCertPages     certificate pages each vCPU has room for
 * @param rateLimit        the host rate limiter preset (per-vm-5-1 makes BUSY happen)
 * @param pspRequestTime   the PSP's service time for one guest request
 */
public record NativeSpec(Integer vcpus, Integer requestsPerVcpu, Integer initialCertPages, Integer maxCertPages,
                         String rateLimit, Duration pspRequestTime) {
    public NativeSpec {
        vcpus = vcpus == null ? 4 : vcpus;
        if (vcpus < 1 || vcpus > 64) {
            throw new IllegalArgumentException("vcpus is " + vcpus + " (expected: 1 to 64)");
        }
        requestsPerVcpu = requestsPerVcpu == null ? 300 : requestsPerVcpu;
        if (requestsPerVcpu < 1) {
            throw new IllegalArgumentException("requestsPerVcpu must be positive");
        }
        initialCertPages = initialCertPages == null ? 1 : initialCertPages;
        maxCertPages = maxCertPages == null ? 4 : maxCertPages;
        if (initialCertPages < 0 || maxCertPages < 1 || initialCertPages > maxCertPages) {
            throw new IllegalArgumentException("need 0 <= initialCertPages <= maxCertPages and maxCertPages >= 1");
        }
        rateLimit = rateLimit == null ? "per-vm-5-1" : rateLimit;
        pspRequestTime = pspRequestTime == null ? Duration.ofMillis(1) : pspRequestTime;
    }
}
