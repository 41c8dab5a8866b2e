package dev.snpsim.bench.psp;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.ReportSignature;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.psp.Psp;
import dev.snpsim.psp.PspConfig;
import dev.snpsim.psp.queue.QueueDiscipline;
import dev.snpsim.sim.RunStats;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * PSP commands per wall second in virtual time, with real signatures (a plain main, not JMH),
 * against the raw floor measured in the same run: ECDSA P-384 sign, and sign + verify, of the
 * report's 0x2A0 signed bytes. The PSP path adds AES-GCM open and seal, report building,
 * queueing, metrics and trace. Requests are sealed (the guest's work) before the clock starts.
 * Usage: {@code PspBench [requests] [vms] [repeats]} (defaults 4000, 16, 3). Prints figures;
 * asserts only that every request succeeded.
 */
public final class PspBench {
    private static final Product P = Product.GENOA;
    private static final TcbVersion TCB = TcbVersion.of(P, 0, 9, 0, 21, 0xd4);
    private static final KeyHierarchy KEYS = KeyHierarchy.create(2026);

    private PspBench() {
    }

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf(Locale.ROOT, "psp-actor macro benchmark (java %s, %d cpus): %,d guest requests from %d vms%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), requests, vms);
        floor(requests / 4);
        psp(requests / 4, vms, QueueDiscipline.fifo(), "fifo", false);
        for (int i = 0; i < repeats; i++) {
            floor(requests);
            psp(requests, vms, QueueDiscipline.fifo(), "fifo", true);
            psp(requests, vms, QueueDiscipline.drr(), "drr", true);
        }
    }

    /** Raw ECDSA P-384 over a report's signed bytes: sign only, then sign + verify. */
    static void floor(int n) {
        ECPrivateKey key = KEYS.vcekPrivateKey(P, dev.snpsim.psp.firmware.FirmwareConfig.chipIdOf(P, 1), TCB);
        ECPrivateKeyParameters priv = P384.toParameters(key);
        ECPublicKeyParameters pub = P384.toParameters(P384.publicKey(key.getS()));
        byte[] signed = AttestationReport.builder().cpuidOf(P).reportedTcb(TCB).build().signedBytes();
        long t0 = System.nanoTime();
        ReportSignature last = null;
        for (int i = 0; i < n; i++) {
            signed[0x50] = (byte) i;
            last = ReportSigner.signatureOf(signed, priv);
        }
        long t1 = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < n; i++) {
            signed[0x50] = (byte) i;
            ReportSignature s = ReportSigner.signatureOf(signed, priv);
            ok += ReportSigner.verify(signed, s, pub) ? 1 : 0;
        }
        long t2 = System.nanoTime();
        check(ok == n && last != null, "floor: " + ok + " of " + n + " signatures verified");
        System.out.printf(Locale.ROOT, "  floor: sign %,.0f/s (%.3f ms each); sign+verify %,.0f/s (%.3f ms each)%n",
                n * 1e9 / (t1 - t0), (t1 - t0) / 1e6 / n, n * 1e9 / (t2 - t1), (t2 - t1) / 1e6 / n);
    }

    /** Launches {@code vms} guests, sends {@code n} sealed report requests at once, runs until idle. */
    static void psp(int n, int vms, QueueDiscipline.Factory queue, String name, boolean print) {
        PspConfig cfg = PspConfig.defaults(P, KEYS, 1, TCB).withQueue(queue);
        SimConfig sc = SimConfig.virtual(7).withConfig("pekko.log-dead-letters = off");
        try (Simulation<Psp.Command> sim = Simulation.create(Psp.create(cfg), "psp-bench", sc)) {
            AtomicLong launched = new AtomicLong();
            List<byte[]> secrets = new ArrayList<>();
            ActorRef<Psp.LaunchReply> launchReplies = sim.spawn(Behaviors.receive((ctx, m) -> {
                check(m.status() == FirmwareStatus.SUCCESS, "launch of " + m.vmId() + ": " + m.status());
                if (m.page() != null) {
                    secrets.add(m.page());
                }
                launched.incrementAndGet();
                return Behaviors.same();
            }), "launch-replies");
            for (int v = 0; v < vms; v++) {
                String vm = "vm-" + v;
                sim.tell(sim.system(), new Psp.LaunchStart(vm, GuestPolicy.DEFAULT, launchReplies));
                sim.tell(sim.system(), new Psp.LaunchUpdate(vm, PageType.SECRETS, 0x1000, null, launchReplies));
                sim.tell(sim.system(), new Psp.LaunchFinish(vm, null, new byte[32], launchReplies));
            }
            sim.runUntilIdle();
            check(launched.get() == 3L * vms && secrets.size() == vms, "launched " + launched.get());

            List<Psp.GuestRequest> batch = new ArrayList<>(n);
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ActorRef<Psp.GuestResponse> replies = sim.spawn(Behaviors.receive((ctx, m) -> {
                (m.status() == FirmwareStatus.SUCCESS && m.outcome() == Psp.Outcome.DONE ? done : failed)
                        .incrementAndGet();
                return Behaviors.same();
            }), "replies");
            long[] counters = new long[vms];
            byte[] data = new byte[64];
            for (int i = 0; i < n; i++) {
                int v = i % vms;
                byte[] vmpck = SecretsPage.decode(secrets.get(v)).vmpck0();
                long seqno = 2 * counters[v]++ + 1;
                data[0] = (byte) i;
                byte[] page = GuestMessages.seal(vmpck, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seqno, 0),
                        new ReportRequest(data, 0, ReportRequest.KEY_SEL_DEFAULT).encode());
                batch.add(new Psp.GuestRequest("vm-" + v, page, replies));
            }
            long simStart = sim.nowNanos();
            long t0 = System.nanoTime();
            for (Psp.GuestRequest r : batch) {
                sim.tell(sim.system(), r);
            }
            RunStats s = sim.runUntilIdle();
            long wall = System.nanoTime() - t0;
            check(done.get() == n && failed.get() == 0, "psp: " + done.get() + " done, " + failed.get() + " failed");
            double simSeconds = (sim.nowNanos() - simStart) / 1e9;
            if (print) {
                System.out.printf(Locale.ROOT,
                        "  psp %-4s: %,d requests in %.3f s wall: %,.0f commands/s wall (%.3f ms each); "
                                + "%.1f s simulated (%,.0f/s simulated, %.0fx faster than real time); %,d events%n",
                        name, n, wall / 1e9, n * 1e9 / wall, wall / 1e6 / n, simSeconds, n / simSeconds,
                        simSeconds / (wall / 1e9), s.events());
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }
}
