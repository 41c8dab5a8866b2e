package dev.snpsim.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.psp.queue.QueueDiscipline;
import dev.snpsim.psp.service.ServiceTimeExponential;
import dev.snpsim.psp.service.ServiceTimeFixed;
import dev.snpsim.psp.service.ServiceTimes;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.metrics.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The serial PSP in virtual time: service time, queueing, bounded queue, key changes at command boundaries. */
class PspActorTest {
    private static final long MS = 1_000_000L;

    @Test
    void aBurstOfNRequestsCompletesAtExactlyNTimesTheServiceTime() {
        try (PspHarness h = new PspHarness(PspHarness.config(), 1)) {
            GuestSession s = h.launch("vm-0");
            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            long t0 = h.sim.nowNanos();
            int n = 40;
            List<GuestSession.Sealed> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GuestSession.Sealed req = s.report(GuestSession.data(i));
                sent.add(req);
                h.tell(new Psp.GuestRequest("vm-0", req.page(), replies.ref()));
            }
            List<Psp.GuestResponse> got = replies.receiveMessages(n, Duration.ofSeconds(10));
            for (int i = 0; i < n; i++) {
                assertThat(replies.receivedAt(i)).as("reply %d", i).isEqualTo(t0 + (i + 1) * 8 * MS);
                assertThat(got.get(i).outcome()).isEqualTo(Psp.Outcome.DONE);
                assertThat(got.get(i).status()).isEqualTo(FirmwareStatus.SUCCESS);
                AttestationReport r = AttestationReport.decode(s.openReport(sent.get(i), got.get(i).response()).report());
                assertThat(r.reportData()).isEqualTo(GuestSession.data(i));
            }
            Metrics m = h.sim.metrics();
            assertThat(m.counter("psp/cmd/SNP_GUEST_REQUEST/SUCCESS").get()).isEqualTo(n);
            assertThat(m.histogram("psp/wait").getMaxValue()).isCloseTo((n - 1) * 8 * MS, withinPercentage(0.1));
            // per VM, exact: every command of the run is vm-0's (its launch did not wait); the i-th
            // request waits i service times
            long all = m.counter("psp/commands").get();
            assertThat(all).isGreaterThan(n);
            assertThat(m.summary("psp/wait/vm-0").snapshot())
                    .isEqualTo(new Summary.Snapshot(all, (long) n * (n - 1) / 2 * 8 * MS, 0, (n - 1) * 8 * MS));
            Summary.Snapshot service = m.summary("psp/service/vm-0").snapshot();
            assertThat(service.count()).isEqualTo(all);
            assertThat(service.sum()).isEqualTo(m.counter("psp/busy-ns").get());
            assertThat(service.max()).isEqualTo(8 * MS);
            assertThat(m.histograms()).doesNotContainKey("psp/wait/vm-0");
            long elapsed = h.sim.nowNanos();
            assertThat(PspMetrics.utilisation(m, "psp", elapsed))
                    .isEqualTo(m.counter("psp/busy-ns").get() / (double) elapsed).isGreaterThan(0.9);
            long perWindow = m.timeSeries().get("psp/utilisation").windows().stream().mapToLong(w -> w.sum()).sum();
            assertThat(perWindow).isEqualTo(m.counter("psp/busy-ns").get());
            assertThat(m.timeSeries().get("psp/queue-depth").windows().stream().mapToLong(w -> w.max()).max())
                    .hasValue(n - 1);
        }
    }

    @Test
    void deficitRoundRobinGivesEachOfKFloodingVmsOneKthOfTheThroughput() {
        PspConfig cfg = PspHarness.config().withQueue(QueueDiscipline.drr()).withServiceTimes(ServiceTimes.defaults()
                .with(CommandKind.SNP_GUEST_REQUEST, new ServiceTimeExponential(Duration.ofMillis(8))));
        int k = 4;
        int[] done = flood(cfg, k, 200, 400);
        for (int v = 0; v < k; v++) {
            assertThat(Math.abs(done[v] - 400.0 / k)).as("vm %d got %d of 400", v, done[v]).isLessThanOrEqualTo(0.02 * 400 / k);
        }
        int[] fifo = flood(cfg.withQueue(QueueDiscipline.fifo()), k, 200, 400);
        assertThat(fifo[0]).as("fifo serves the first flooders only").isEqualTo(200);
        assertThat(fifo[2]).isZero();
    }

    /** k VMs each send {@code perVm} requests at once (VM by VM); counts the first {@code total} done per VM. */
    private static int[] flood(PspConfig cfg, int k, int perVm, int total) {
        try (PspHarness h = new PspHarness(cfg, 2)) {
            List<GuestSession> sessions = new ArrayList<>();
            for (int v = 0; v < k; v++) {
                sessions.add(h.launch("vm-" + v));
            }
            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            for (int v = 0; v < k; v++) {
                for (int i = 0; i < perVm; i++) {
                    h.tell(new Psp.GuestRequest("vm-" + v, sessions.get(v).report(GuestSession.data(i)).page(),
                            replies.ref()));
                }
            }
            List<Psp.GuestResponse> got = replies.receiveMessages(total, Duration.ofMinutes(10));
            int[] done = new int[k];
            for (Psp.GuestResponse r : got) {
                assertThat(r.status()).isEqualTo(FirmwareStatus.SUCCESS);
                done[Integer.parseInt(r.vmId().substring(3))]++;
            }
            return done;
        }
    }

    @Test
    void aFullQueueAnswersQueueFullAtOnceAndTheFirmwareNeverSeesTheRequest() {
        try (PspHarness h = new PspHarness(PspHarness.config().withCapacity(2), 3)) {
            GuestSession s = h.launch("vm-0");
            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            long t0 = h.sim.nowNanos();
            for (int i = 0; i < 5; i++) {
                h.tell(new Psp.GuestRequest("vm-0", s.report(GuestSession.data(i)).page(), replies.ref()));
            }
            List<Psp.GuestResponse> got = replies.receiveMessages(5, Duration.ofSeconds(1));
            assertThat(got.subList(0, 2)).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Psp.Outcome.QUEUE_FULL);
                assertThat(r.response()).isNull();
            });
            assertThat(replies.receivedAt(0)).isEqualTo(t0);
            assertThat(replies.receivedAt(1)).isEqualTo(t0);
            assertThat(got.subList(2, 5)).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Psp.Outcome.DONE));
            assertThat(replies.receivedAt(4)).isEqualTo(t0 + 24 * MS);
            assertThat(h.sim.metrics().counter("psp/queue-full/vm-0").get()).isEqualTo(2);
            assertThat(h.sim.metrics().timeSeries().get("psp/queue-depth").windows().stream()
                    .mapToLong(w -> w.max()).max()).hasValue(2);
            assertThat(h.sim.metrics().counter("psp/cmd/SNP_GUEST_REQUEST/SUCCESS").get()).isEqualTo(3);
        }
    }

    @Test
    void aVlekRotationMidBurstChangesTheSigningKeyExactlyAtTheCommandBoundary() {
        try (PspHarness h = new PspHarness(PspHarness.config(), 4)) {
            GuestSession s = h.launch("vm-0");
            Vlek gen1 = TestVleks.vlek(PspHarness.P, 1, PspHarness.TCB);
            Vlek gen2 = TestVleks.vlek(PspHarness.P, 2, PspHarness.TCB);
            SimProbe<Psp.PlatformReply> platform = h.sim.probe("platform");
            h.tell(new Psp.VlekLoad(TestVleks.hashstick(PspHarness.KEYS, gen1), platform.ref()));
            assertThat(platform.expectMessageClass(Psp.PlatformReply.class).status()).isEqualTo(FirmwareStatus.SUCCESS);

            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            long t0 = h.sim.nowNanos();
            List<GuestSession.Sealed> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    h.tell(new Psp.VlekLoad(TestVleks.hashstick(PspHarness.KEYS, gen2), platform.ref()));
                }
                GuestSession.Sealed req = s.report(GuestSession.data(i));
                sent.add(req);
                h.tell(new Psp.GuestRequest("vm-0", req.page(), replies.ref()));
            }
            List<Psp.GuestResponse> got = replies.receiveMessages(6, Duration.ofSeconds(1));
            platform.expectMessageClass(Psp.PlatformReply.class);
            long boundary = platform.lastArrivalNanos();
            assertThat(boundary).isEqualTo(t0 + 3 * 8 * MS + 5 * MS);
            for (int i = 0; i < 6; i++) {
                AttestationReport r = AttestationReport.decode(s.openReport(sent.get(i), got.get(i).response()).report());
                assertThat(r.signerInfo().signingKey()).isEqualTo(SigningKey.VLEK);
                boolean before = replies.receivedAt(i) <= boundary;
                assertThat(before).as("reply %d", i).isEqualTo(i < 3);
                assertThat(ReportSigner.verifySignature(r, TestVleks.publicKey(before ? gen1 : gen2))).as("reply %d", i)
                        .isTrue();
                assertThat(ReportSigner.verifySignature(r, TestVleks.publicKey(before ? gen2 : gen1))).isFalse();
            }
        }
    }

    @Test
    void launchFirstLetsABootOvertakeAnAttestationFlood() {
        assertThat(launchStartDelay(QueueDiscipline.launchFirst())).isEqualTo(8 * MS);
        assertThat(launchStartDelay(QueueDiscipline.fifo())).isEqualTo(21 * 8 * MS);
    }

    /** Time from a zero-service LAUNCH_START's arrival behind 21 guest requests (one in service) to its reply. */
    private static long launchStartDelay(QueueDiscipline.Factory queue) {
        PspConfig cfg = PspHarness.config().withQueue(queue).withServiceTimes(ServiceTimes.defaults()
                .with(CommandKind.SNP_LAUNCH_START, new ServiceTimeFixed(Duration.ZERO)));
        try (PspHarness h = new PspHarness(cfg, 5)) {
            GuestSession s = h.launch("vm-0");
            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            for (int i = 0; i < 21; i++) {
                h.tell(new Psp.GuestRequest("vm-0", s.report(GuestSession.data(i)).page(), replies.ref()));
            }
            SimProbe<Psp.LaunchReply> boot = h.sim.probe("boot");
            long t0 = h.sim.nowNanos();
            h.tell(new Psp.LaunchStart("vm-1", GuestPolicy.DEFAULT, boot.ref()));
            assertThat(boot.expectMessageClass(Psp.LaunchReply.class).status()).isEqualTo(FirmwareStatus.SUCCESS);
            return boot.lastArrivalNanos() - t0;
        }
    }

    @Test
    void theSameSeedGivesTheSameTraceDigest() {
        PspConfig cfg = PspHarness.config().withQueue(QueueDiscipline.drr()).withServiceTimes(ServiceTimes.defaults()
                .with(CommandKind.SNP_GUEST_REQUEST, new ServiceTimeExponential(Duration.ofMillis(8))));
        assertThat(digest(cfg, 9)).isEqualTo(digest(cfg, 9)).isNotEqualTo(digest(cfg, 10));
    }

    private static String digest(PspConfig cfg, long seed) {
        try (PspHarness h = new PspHarness(cfg, seed)) {
            List<GuestSession> sessions = List.of(h.launch("a"), h.launch("b"));
            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            for (int i = 0; i < 10; i++) {
                for (int v = 0; v < 2; v++) {
                    h.tell(new Psp.GuestRequest(v == 0 ? "a" : "b", sessions.get(v).report(GuestSession.data(i)).page(),
                            replies.ref()));
                }
            }
            replies.receiveMessages(20, Duration.ofSeconds(10));
            return h.sim.trace().digestHex();
        }
    }
}
