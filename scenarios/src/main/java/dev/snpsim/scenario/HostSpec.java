package dev.snpsim.scenario;

import java.time.Duration;
import java.util.Map;

/**
 * The simulated host.
 *
 * @param product          milan, genoa or turin
 * @param profile          the KVM certificate-exit ABI: COCO, V15_VMGEXIT, SNP_REQ_CERTS, EMPTY_TABLE
 * @param rateLimit        the host rate limiter preset (off, kvm-2022, per-vm-1000-1, per-vm-2000-2, global-...)
 * @param locking          whether the VMM and the management tool lock the certificate blob
 * @param certsTimeout     how long the VMM waits for its shared lock before answering EAGAIN (0: non-blocking)
 * @param reportVersion    the report VERSION the firmware writes (2, 3 or 5)
 * @param signingKey       which chain the host's certificate blob serves: vcek (the chip's VCEK for the
 *                         reported TCB) or vlek (a VLEK loaded for the cloud provider). One blob holds one:
 *                         the table has a single ASK slot, which a VLEK chain fills with the ASVK
 * @param psp              the PSP's queue and service times
 */
public record HostSpec(String product, String profile, String rateLimit, Boolean locking, Duration certsTimeout,
                       Integer reportVersion, String signingKey, PspSpec psp) {
    public HostSpec {
        product = product == null ? "milan" : product;
        profile = profile == null ? "COCO" : profile;
        rateLimit = rateLimit == null ? "off" : rateLimit;
        locking = locking == null || locking;
        certsTimeout = certsTimeout == null ? Duration.ofMillis(100) : certsTimeout;
        if (certsTimeout.isNegative()) {
            throw new IllegalArgumentException("certsTimeout must not be negative");
        }
        reportVersion = reportVersion == null ? 3 : reportVersion;
        if (reportVersion != 2 && reportVersion != 3 && reportVersion != 5) {
            throw new IllegalArgumentException("reportVersion is " + reportVersion + " (expected: 2, 3 or 5)");
        }
        signingKey = signingKey == null ? "vcek" : signingKey;
        if (!signingKey.matches("vcek|vlek")) {
            throw new IllegalArgumentException("signingKey is '" + signingKey + "' (expected: vcek or vlek)");
        }
        psp = psp == null ? PspSpec.defaults() : psp;
    }

    static HostSpec defaults() {
        return new HostSpec(null, null, null, null, null, null, null, null);
    }

    /**
     * The PSP's scheduling.
     *
     * @param discipline    fifo (the real device), drr (per-VM deficit round robin) or launch-first
     * @param queueCapacity 0 for unbounded; otherwise a full queue answers BUSY
     * @param serviceTime   per command kind (guestRequest, launchStart, launchUpdate, launchFinish, platform,
     *                      firmwareDownload): a distribution such as {@code 8ms}, {@code exp(8ms)},
     *                      {@code uniform(5ms,15ms)}
     */
    public record PspSpec(String discipline, Integer queueCapacity, Map<String, String> serviceTime) {
        public PspSpec {
            discipline = discipline == null ? "fifo" : discipline;
            if (!discipline.matches("fifo|drr|launch-first")) {
                throw new IllegalArgumentException("discipline is '" + discipline + "' (expected: fifo, drr or launch-first)");
            }
            queueCapacity = queueCapacity == null ? 0 : queueCapacity;
            if (queueCapacity < 0) {
                throw new IllegalArgumentException("queueCapacity must not be negative");
            }
            serviceTime = serviceTime == null ? Map.of() : Map.copyOf(serviceTime);
        }

        static PspSpec defaults() {
            return new PspSpec(null, null, null);
        }
    }
}
