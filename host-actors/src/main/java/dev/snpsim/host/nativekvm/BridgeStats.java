package dev.snpsim.host.nativekvm;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a {@link DriverBridge}: what the bridge did with the doorbells of one native
 * VM. Thread-safe (every vCPU thread records here).
 */
public final class BridgeStats {
    private final LongAdder doorbells = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder vmgexits = new LongAdder();
    private final LongAdder busy = new LongAdder();
    private final LongAdder invalidLen = new LongAdder();
    private final LongAdder verified = new LongAdder();
    private final LongAdder verifyFailures = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");
    private final Samples latencies = new Samples();

    void doorbell() {
        doorbells.increment();
    }

    void newRequest() {
        requests.increment();
    }

    void vmgexit() {
        vmgexits.increment();
    }

    void busy() {
        busy.increment();
    }

    void invalidLen() {
        invalidLen.increment();
    }

    void verified() {
        verified.increment();
        synchronized (this) {
            notifyAll();
        }
    }

    /** Waits until at least {@code n} reports verified or {@code timeout} passed; true in the first case. */
    public synchronized boolean awaitVerified(long n, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (verified.sum() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    void verifyFailure(String why) {
        verifyFailures.increment();
        lastFailure.set("verification: " + why);
    }

    void failure(String why) {
        failures.increment();
        lastFailure.set(why);
    }

    /** One request finished (answered, INVALID_LEN, or failed) {@code nanos} after it was sealed. */
    void requestDone(long nanos) {
        latencies.add(nanos);
    }

    public Snapshot snapshot() {
        long[] sorted = latencies.copy();
        Arrays.sort(sorted);
        return new Snapshot(doorbells.sum(), requests.sum(), vmgexits.sum(), busy.sum(), invalidLen.sum(),
                verified.sum(), verifyFailures.sum(), failures.sum(), lastFailure.get(), sorted);
    }

    /**
     * The counters at one moment.
     *
     * @param doorbells      doorbells the bridge answered
     * @param requests       new guest messages sealed (one per guest request, retries excluded)
     * @param vmgexits       {@code Vmgexit}s sent to the simulated vCPUs (retries and plain resends included)
     * @param busy           BUSY answers handed to the guest
     * @param invalidLen     INVALID_LEN answers handed to the guest (each after its plain resend)
     * @param verified       reports that verified against the returned certificate table and ARK,
     *                       with the REPORT_DATA the bridge asked for
     * @param verifyFailures reports that did not
     * @param failures       requests that failed in the driver or host (key wiped, GENERIC, firmware error)
     * @param lastFailure    why the last failure or verification failure happened, empty if none
     * @param latenciesNanos per request, sealing to final answer (BUSY retries included), sorted
     */
    public record Snapshot(long doorbells, long requests, long vmgexits, long busy, long invalidLen,
            long verified, long verifyFailures, long failures, String lastFailure, long[] latenciesNanos) {

        /** The latency at quantile {@code q} (0..1) in milliseconds, nearest rank; 0 with no samples. */
        public double latencyMillis(double q) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * latenciesNanos.length);
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, rank - 1))] / 1e6;
        }
    }

    /** A growable array of samples. */
    private static final class Samples {
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
