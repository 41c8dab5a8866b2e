package dev.snpsim.host.nativekvm;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link NativeScenario} run measured. Latencies are wall-clock milliseconds.
 *
 * @param config               what was run
 * @param wallSeconds          from the first vCPU starting to the run's end
 * @param outcomes             per real vCPU: state and the guest program's own counters
 * @param exitsByReason        real KVM exits by reason
 * @param totalExits           all real KVM exits
 * @param meanKvmRunMicros     mean wall time of one KVM_RUN call, entry to exit
 * @param doorbells            doorbell exits (each a guest VMGEXIT)
 * @param requests             guest requests sealed by the bridge (retries not counted)
 * @param vmgexits             {@code Vmgexit}s sent to the simulated vCPUs
 * @param busy                 BUSY answers the guest got
 * @param invalidLen           INVALID_LEN answers the guest got
 * @param verified             reports verified (chain to the host's ARK, signature, TCB, REPORT_DATA)
 * @param verifyFailures       reports that did not verify
 * @param failures             requests that failed (driver or host)
 * @param lastFailure          why the last failure happened, empty if none
 * @param gateForwarded        guest requests the host's gate let through to the PSP
 * @param gateThrottled        guest requests the host's rate limiter answered BUSY
 * @param requestMillis        per request, sealing to final answer: p50, p90, p99, max
 * @param doorbellMillis       per doorbell, exit to re-entry: p50, p90, p99, max
 * @param certBuffersMatchBlob real vCPUs whose certificate buffer in real guest memory holds the
 *                             host's certificate blob byte for byte
 * @param error                why the run failed to start, stop or free the VM; empty if it did not
 */
public record NativeScenarioResult(NativeScenarioConfig config, double wallSeconds, List<VcpuOutcome> outcomes,
        Map<String, Long> exitsByReason, long totalExits, double meanKvmRunMicros, long doorbells, long requests,
        long vmgexits, long busy, long invalidLen, long verified, long verifyFailures, long failures,
        String lastFailure, long gateForwarded, long gateThrottled, Percentiles requestMillis,
        Percentiles doorbellMillis, int certBuffersMatchBlob, String error) {

    /** Wall-clock latency percentiles in milliseconds (nearest rank). */
    public record Percentiles(double p50, double p90, double p99, double max) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.3f  p90 %.3f  p99 %.3f  max %.3f", p50, p90, p99, max);
        }
    }

    /** True when every vCPU halted with all its requests successful and every report verified. */
    public boolean allVerified() {
        long expected = (long) config.vcpus() * config.requestsPerVcpu();
        return error.isEmpty() && failures == 0 && verifyFailures == 0 && verified == expected
                && outcomes.size() == config.vcpus()
                && outcomes.stream().allMatch(o -> o.state() == VcpuOutcome.State.HALTED
                        && o.counters().map(c -> c.successes() == config.requestsPerVcpu()).orElse(false));
    }

    /** Human-readable figures, one per line. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "native-smoke: %d real vcpus x %d extended requests, limiter %s,"
                + " psp %.3f ms per request%n", config.vcpus(), config.requestsPerVcpu(), config.rateLimiter(),
                config.pspRequestTime().toNanos() / 1e6));
        for (VcpuOutcome o : outcomes) {
            b.append(String.format(Locale.ROOT, "  vcpu %d: %s %s%s%n", o.vcpuIndex(), o.state(),
                    o.counters().map(Object::toString).orElse(""), o.detail().isEmpty() ? "" : " " + o.detail()));
        }
        b.append(String.format(Locale.ROOT, "kvm exits: %s (total %d, mean KVM_RUN %.1f us)%n", exitsByReason,
                totalExits, meanKvmRunMicros));
        b.append(String.format(Locale.ROOT, "doorbells %d, requests %d, vmgexits %d, busy %d, invalid_len %d%n",
                doorbells, requests, vmgexits, busy, invalidLen));
        b.append(String.format(Locale.ROOT, "reports verified %d, verification failures %d, failures %d%s%n",
                verified, verifyFailures, failures, lastFailure.isEmpty() ? "" : " (last: " + lastFailure + ")"));
        b.append(String.format(Locale.ROOT, "host gate: %d to the psp, %d throttled%n", gateForwarded, gateThrottled));
        b.append(String.format(Locale.ROOT, "certificate blob found in real guest memory of %d/%d vcpus%n",
                certBuffersMatchBlob, config.vcpus()));
        b.append("request latency ms (sealed to answered, BUSY retries included): ").append(requestMillis)
                .append(System.lineSeparator());
        b.append("doorbell latency ms (real exit to re-entry, guest-mutex wait and verification included): ")
                .append(doorbellMillis).append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "wall %.3f s, %.0f verified reports/s%n", wallSeconds,
                wallSeconds > 0 ? verified / wallSeconds : 0));
        if (!error.isEmpty()) {
            b.append("error: ").append(error).append(System.lineSeparator());
        }
        return b.toString();
    }
}
