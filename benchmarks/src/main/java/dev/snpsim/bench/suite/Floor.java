package dev.snpsim.bench.suite;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: what one attestation costs any faithful simulator of this host, measured in a
 * plain loop with no actors. One attestation is the firmware's part (build the report with a
 * fresh REPORT_DATA, sign it with ECDSA P-384 / SHA-384 and RFC 6979 nonces, encode it) plus
 * the relying party's per-report part with the chain already trusted, as the simulator's
 * {@code RelyingParty} does after the first report of a chain (decode, check the signature
 * against the leaf's key). Threads do not share keys or buffers.
 */
public final class Floor {
    private static final Product PRODUCT = Product.MILAN;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final TcbVersion TCB = TcbVersion.of(PRODUCT, 0, 3, 0, 8, 0x73);

    private Floor() {
    }

    /**
     * A measured rate: attestations per wall second, and per CPU second of the looping threads
     * (which a machine shared with other work disturbs less).
     */
    public record Rate(double perWallSecond, double perCpuSecond) {
    }

    /** Attestations per wall second with {@code threads} threads, each looping for {@code window}. */
    public static double attestationsPerSecond(int threads, Duration window) {
        return measure(threads, window).perWallSecond();
    }

    /** Attestations per wall and per CPU second with {@code threads} threads, each looping for {@code window}. */
    public static Rate measure(int threads, Duration window) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + " (expected: at least 1)");
        }
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(i));
        }
        for (Worker w : workers) {
            w.loop(200_000_000L); // warm the JIT on every thread, 0.2 s
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong total = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        List<Thread> running = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long c0 = THREADS.getCurrentThreadCpuTime();
                total.addAndGet(w.loop(window.toNanos()));
                cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
            }, "floor-" + running.size());
            running.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the floor", e);
            }
        }
        long wall = System.nanoTime() - t0;
        return new Rate(total.get() * 1e9 / wall, total.get() * 1e9 / Math.max(1, cpu.get()));
    }

    /** One thread's keys and report template. */
    static final class Worker {
        private final ECPrivateKey key;
        private final ECPublicKey publicKey;
        private final byte[] chip = new byte[64];
        private final byte[] data = new byte[64];
        private long n;

        Worker(int id) {
            Arrays.fill(chip, (byte) (0x40 + id));
            KeyHierarchy keys = KeyHierarchy.create(7 + id);
            key = keys.vcekPrivateKey(PRODUCT, chip, TCB);
            publicKey = P384.publicKey(key.getS());
        }

        /** Runs attestations for at least {@code nanos}; returns how many. */
        long loop(long nanos) {
            long end = System.nanoTime() + nanos;
            long done = 0;
            do {
                once();
                done++;
            } while (System.nanoTime() < end);
            return done;
        }

        /** One attestation: firmware signs, relying party decodes and checks; throws if it does not verify. */
        void once() {
            n++;
            for (int b = 0; b < 8; b++) {
                data[b] = (byte) (n >>> (8 * b));
            }
            AttestationReport unsigned = AttestationReport.builder().cpuidOf(PRODUCT).reportedTcb(TCB).currentTcb(TCB)
                    .committedTcb(TCB).launchTcb(TCB).chipId(chip).reportData(data).signerInfo(SignerInfo.VCEK).build();
            byte[] wire = ReportSigner.sign(unsigned, key).encode();
            AttestationReport got = AttestationReport.decode(wire);
            if (!ReportSigner.verifySignature(got, publicKey)) {
                throw new IllegalStateException("floor: report " + n + " does not verify");
            }
        }
    }
}
