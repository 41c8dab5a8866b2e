package dev.snpsim.host;

import dev.snpsim.host.certstore.LockFairness;
import dev.snpsim.host.kds.KdsRateLimit;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.VmmConfig;
import dev.snpsim.host.mgmt.CrashHook;
import dev.snpsim.psp.PspConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One host as a scenario describes it.
 *
 * @param psp          the PSP (product, key hierarchy, chip, firmware, TCB, service times, queue)
 * @param profile      the KVM certificate-exit ABI
 * @param rateLimiter  host rate limiter preset ({@code off}, {@code per-vm-1000-1}, {@code global-5hz}, ...)
 * @param blobPath     the certificate blob file (created or replaced at start)
 * @param vmm          how VMMs lock the blob
 * @param mgmtLocking  whether the management tool takes the exclusive lock (false: the race)
 * @param fairness     lock-table policy between readers and the writer
 * @param kdsLatency   simulated AMD KDS response time
 * @param initialVlek  cloud provider id whose first VLEK is loaded at start, or null to serve the VCEK
 * @param crash        test hook for the management tool
 */
public record HostConfig(PspConfig psp, HostAbiProfile profile, String rateLimiter, Path blobPath, VmmConfig vmm,
                         boolean mgmtLocking, LockFairness fairness, Duration kdsLatency, String initialVlek,
                         CrashHook crash) {
    public HostConfig {
        if (psp == null || profile == null || rateLimiter == null || blobPath == null || vmm == null
                || fairness == null || kdsLatency == null) {
            throw new IllegalArgumentException("host config: psp, profile, rate limiter, blob path, vmm, fairness "
                    + "and kds latency are required");
        }
        crash = crash == null ? CrashHook.none() : crash;
    }

    /** COCO profile, no rate limit, locking on everywhere, writer-preferred locks, KDS at once, VCEK served. */
    public static HostConfig defaults(PspConfig psp, Path blobPath) {
        return new HostConfig(psp, HostAbiProfile.COCO, "off", blobPath, VmmConfig.DEFAULT, true,
                LockFairness.WRITER_PREFERRED, Duration.ZERO, null, CrashHook.none());
    }

    public HostConfig withProfile(HostAbiProfile p) {
        return new HostConfig(psp, p, rateLimiter, blobPath, vmm, mgmtLocking, fairness, kdsLatency, initialVlek, crash);
    }

    public HostConfig withRateLimiter(String preset) {
        return new HostConfig(psp, profile, preset, blobPath, vmm, mgmtLocking, fairness, kdsLatency, initialVlek,
                crash);
    }

    /** Locking on or off for both the VMMs and the management tool. */
    public HostConfig withLocking(boolean on) {
        return new HostConfig(psp, profile, rateLimiter, blobPath, vmm.withLocking(on), on, fairness, kdsLatency,
                initialVlek, crash);
    }

    public HostConfig withVmm(VmmConfig v) {
        return new HostConfig(psp, profile, rateLimiter, blobPath, v, mgmtLocking, fairness, kdsLatency, initialVlek,
                crash);
    }

    public HostConfig withInitialVlek(String cspId) {
        return new HostConfig(psp, profile, rateLimiter, blobPath, vmm, mgmtLocking, fairness, kdsLatency, cspId,
                crash);
    }

    public HostConfig withCrash(CrashHook hook) {
        return new HostConfig(psp, profile, rateLimiter, blobPath, vmm, mgmtLocking, fairness, kdsLatency, initialVlek,
                hook);
    }

    /** AMD's KDS download limit (one VCEK per chip and TCB per 10 s). */
    KdsRateLimit kdsLimit() {
        return new KdsRateLimit();
    }
}
