package dev.snpsim.scenario.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The figures of one run of one scenario point (one parameter combination and seed). The
 * JSON keys are a contract: scripts read them; add keys, never rename or remove.
 *
 * @param parameters       the parameter values this point ran with
 * @param seed             the seed
 * @param digest           the trace digest (SHA-256, hex): equal seeds give equal digests
 * @param simulatedSeconds simulated time covered
 * @param wallSeconds      wall time the run took
 * @param events           simulation events processed (tasks run and timers fired)
 * @param totals           counters over all tenants
 * @param tenants          per tenant: counters and latency percentiles
 * @param psp              the PSP's load
 * @param fairness         Jain's index over guests' completed requests
 * @param timeseries       per window of simulated time
 * @param thresholds       each stated pass condition and whether it held
 * @param nativeFigures    the native backend's own figures (real exits, doorbells, KVM_RUN time), or empty
 */
@JsonPropertyOrder({"parameters", "seed", "digest", "simulatedSeconds", "wallSeconds", "events", "totals", "tenants",
    "psp", "fairness", "thresholds", "native"})
public record PointResult(Map<String, Object> parameters, long seed, String digest, double simulatedSeconds,
                          double wallSeconds, long events, Counters totals, List<TenantResult> tenants, PspResult psp,
                          Fairness fairness, List<Window> timeseries, List<ThresholdResult> thresholds,
                          @JsonProperty("native") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                          Map<String, Object> nativeFigures) {

    public PointResult {
        nativeFigures = nativeFigures == null ? Map.of() : nativeFigures;
    }

    /** The same figures with the thresholds as checked. */
    public PointResult withThresholds(List<ThresholdResult> checked) {
        return new PointResult(parameters, seed, digest, simulatedSeconds, wallSeconds, events, totals, tenants, psp,
                fairness, timeseries, checked, nativeFigures);
    }

    /** Outcome counters; the same set for totals and per tenant. */
    @JsonPropertyOrder({"requests", "verified", "staleCertificates", "busy", "eagain", "enospc", "timeouts",
        "vmpckWiped", "failed"})
    public record Counters(long requests, long verified, long staleCertificates, long busy, long eagain, long enospc,
                           long timeouts, long vmpckWiped, long failed) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Counters plus(Counters o) {
            return new Counters(requests + o.requests, verified + o.verified, staleCertificates + o.staleCertificates,
                    busy + o.busy, eagain + o.eagain, enospc + o.enospc, timeouts + o.timeouts,
                    vmpckWiped + o.vmpckWiped, failed + o.failed);
        }
    }

    /** Latency from the intended send time, in milliseconds. */
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean, long count) {
        public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * One tenant's figures; {@code bootMs} is the time from asking for each VM to its launch
     * finishing (the PSP serves launch commands from the same queue as guest requests).
     */
    @JsonPropertyOrder({"name", "guests", "requests", "verified", "staleCertificates", "busy", "eagain", "enospc",
        "timeouts", "vmpckWiped", "failed", "throughputPerSecond", "latencyMs", "bootMs"})
    public record TenantResult(String name, int guests, long requests, long verified, long staleCertificates, long busy,
                               long eagain, long enospc, long timeouts, long vmpckWiped, long failed,
                               double throughputPerSecond, Latency latencyMs, Latency bootMs) {
        public static TenantResult of(String name, int guests, Counters c, double throughput, Latency l, Latency boot) {
            return new TenantResult(name, guests, c.requests(), c.verified(), c.staleCertificates(), c.busy(),
                    c.eagain(), c.enospc(), c.timeouts(), c.vmpckWiped(), c.failed(), throughput, l, boot);
        }
    }

    /** The PSP: share of time busy, mean queue length, commands completed, mean wait. */
    public record PspResult(double utilisation, double meanQueueDepth, long commands, double meanWaitMs) {
    }

    /** Jain's fairness index: 1 when every guest got the same throughput, 1/n when one got all. */
    public record Fairness(double jain) {
        public static double jain(double[] xs) {
            double sum = 0;
            double sq = 0;
            for (double x : xs) {
                sum += x;
                sq += x * x;
            }
            return sq == 0 ? 1.0 : sum * sum / (xs.length * sq);
        }
    }

    /** One window of simulated time. */
    @JsonPropertyOrder({"startSeconds", "completed", "throughputPerSecond", "pspQueueDepth", "p99Ms", "busy", "eagain",
        "lockWaits"})
    public record Window(double startSeconds, long completed, double throughputPerSecond, double pspQueueDepth,
                         double p99Ms, long busy, long eagain, long lockWaits) {
    }

    /** A stated pass condition, the value it saw and whether it held. */
    public record ThresholdResult(String condition, double left, double right, boolean passed) {
    }

    public boolean passed() {
        return thresholds.stream().allMatch(ThresholdResult::passed);
    }
}
