package dev.snpsim.host.nativekvm;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a {@link NativeVm}: KVM exits by reason, doorbells, requests refused before
 * reaching the handler, handler failures, and the wall-clock latency of every doorbell (from
 * the vCPU's exit to the moment it re-enters the guest with the answer). Thread-safe; each
 * vCPU thread records into its own latency buffer.
 */
public final class NativeRunStats {
    private static final int REASONS = 64;

    private final AtomicLongArray exits = new AtomicLongArray(REASONS + 1);
    private final LongAdder doorbells = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder inKvmRunNanos = new LongAdder();
    private final LatencyBuffer[] latencies;

    NativeRunStats(int vcpus) {
        latencies = new LatencyBuffer[vcpus];
        for (int i = 0; i < vcpus; i++) {
            latencies[i] = new LatencyBuffer();
        }
    }

    /** One return from KVM_RUN with {@code reason}, after {@code nanos} inside it (guest time plus entry and exit). */
    void exit(int reason, long nanos) {
        exits.incrementAndGet(reason >= 0 && reason < REASONS ? reason : REASONS);
        inKvmRunNanos.add(nanos);
    }

    void doorbell() {
        doorbells.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void handlerFailure() {
        handlerFailures.increment();
    }

    void latency(int vcpu, long nanos) {
        latencies[vcpu].add(nanos);
    }

    /** A consistent-enough copy of the counters (each counter read once). */
    public Snapshot snapshot() {
        Map<String, Long> byReason = new TreeMap<>();
        for (int i = 0; i <= REASONS; i++) {
            long n = exits.get(i);
            if (n > 0) {
                byReason.put(i == REASONS ? "EXIT_OTHER" : ExitReason.nameOf(i), n);
            }
        }
        long[] all = new long[0];
        for (LatencyBuffer b : latencies) {
            long[] part = b.copy();
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        Arrays.sort(all);
        return new Snapshot(Collections.unmodifiableMap(byReason), doorbells.sum(), rejected.sum(),
                handlerFailures.sum(), inKvmRunNanos.sum(), all);
    }

    /**
     * Counters at one moment.
     *
     * @param exitsByReason   KVM_RUN returns by {@link ExitReason} name
     * @param doorbells       doorbell exits handled
     * @param rejected        doorbells answered GENERIC without calling the handler (malformed block)
     * @param handlerFailures handler stages that failed or timed out (answered GENERIC)
     * @param inKvmRunNanos   wall time all vCPU threads spent inside KVM_RUN (guest execution,
     *                        world switches and in-kernel exit handling)
     * @param latenciesNanos  per-doorbell wall latency, sorted ascending
     */
    public record Snapshot(Map<String, Long> exitsByReason, long doorbells, long rejected,
            long handlerFailures, long inKvmRunNanos, long[] latenciesNanos) {

        /** Total KVM exits. */
        public long totalExits() {
            return exitsByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Mean wall time of one KVM_RUN call, entry to exit; 0 with no exits. */
        public double meanKvmRunNanos() {
            long n = totalExits();
            return n == 0 ? 0 : (double) inKvmRunNanos / n;
        }

        /** The latency at quantile {@code q} (0..1), nearest rank; 0 with no samples. */
        public long latencyQuantileNanos(double q) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * latenciesNanos.length);
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, rank - 1))];
        }
    }

    /** A growable array of samples for one vCPU thread. */
    private static final class LatencyBuffer {
        private long[] samples = new long[256];
        private int size;

        synchronized void add(long v) {
            if (size == samples.length) {
                samples = Arrays.copyOf(samples, size * 2);
            }
            samples[size++] = v;
        }

        synchronized long[] copy() {
            return Arrays.copyOf(samples, size);
        }
    }
}
