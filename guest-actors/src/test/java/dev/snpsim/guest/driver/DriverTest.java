package dev.snpsim.guest.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.guest.driver.FakeFirmware.Step;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against a scripted vCPU (a probe the test answers), in virtual time. */
class DriverTest {
    private static final long SECOND = 1_000_000_000L;

    private Simulation<Void> sim;
    private FakeFirmware fw;
    private SimProbe<Vcpu.Command> vcpu;
    private ActorRef<Driver.Command> driver;
    private SimProbe<Driver.ReportReply> reports;
    private SimProbe<Driver.KeyReply> keys;

    @BeforeEach
    void setUp() {
        sim = Simulation.create(Behaviors.empty(), "driver-test", SimConfig.virtual(7));
        fw = new FakeFirmware(1);
        vcpu = sim.probe("vcpu");
        driver = sim.spawn(Driver.create("g1", fw.memory, FakeFirmware.SECRETS_GPA, List.of(vcpu.ref()),
                DriverConfig.linuxDefaults(), new SeqnoGuard()), "driver");
        reports = sim.probe("reports");
        keys = sim.probe("keys");
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private static byte[] data(int b) {
        byte[] d = new byte[64];
        Arrays.fill(d, (byte) b);
        return d;
    }

    private void getReport(int b) {
        sim.tell(driver, new Driver.GetReport(data(b), 0, ReportRequest.KEY_SEL_DEFAULT, reports.ref()));
    }

    private Vcpu.Vmgexit exit() {
        return vcpu.expectMessageClass(Vcpu.Vmgexit.class);
    }

    private static long seqnoOf(byte[] page) {
        return java.nio.ByteBuffer.wrap(page, 0x20, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private byte[] requestPage(Vcpu.Vmgexit v) {
        return fw.memory.hostRead(v.swExitInfo1(), GuestMemory.PAGE_SIZE);
    }

    private void answer(Vcpu.Vmgexit v, Step step) {
        v.replyTo().tell(fw.answer(v, step));
    }

    @Test
    void sequenceNumbersAdvanceByTwoAndLiveInTheSecretsPage() {
        for (int i = 0; i < 3; i++) {
            getReport(i + 1);
            Vcpu.Vmgexit v = exit();
            assertThat(v.swExitCode()).isEqualTo(SvmExitCode.GUEST_REQUEST);
            assertThat(seqnoOf(requestPage(v))).isEqualTo(2L * i + 1);
            answer(v, Step.OK);
            Driver.Report r = reports.expectMessageClass(Driver.Report.class);
            assertThat(r.seqno()).isEqualTo(2L * i + 1);
            assertThat(Arrays.copyOfRange(r.report(), 0x50, 0x90)).isEqualTo(data(i + 1));
            assertThat(r.certificates()).isNull();
        }
        byte[] os = fw.memory.guestRead(FakeFirmware.SECRETS_GPA + 0xA0, 4);
        assertThat(os[0]).isEqualTo((byte) 6);
        assertThat(fw.firmwareSeqno(0)).isEqualTo(6);
    }

    @Test
    void busyIsRetriedWithTheSameMessageEveryTwoSecondsAndTimesOutAtSixty() {
        getReport(9);
        Vcpu.Vmgexit first = exit();
        byte[] page = requestPage(first);
        List<Long> sendTimes = new ArrayList<>();
        sendTimes.add(vcpu.lastArrivalNanos());
        answer(first, Step.BUSY);
        for (int i = 1; i <= 30; i++) {
            Vcpu.Vmgexit v = exit();
            sendTimes.add(vcpu.lastArrivalNanos());
            assertThat(requestPage(v)).as("resend %d carries the same sealed bytes", i).isEqualTo(page);
            answer(v, Step.BUSY);
        }
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(reports.lastArrivalNanos()).isEqualTo(60 * SECOND);
        for (int i = 0; i < sendTimes.size(); i++) {
            assertThat(sendTimes.get(i)).isEqualTo(i * 2 * SECOND);
        }
        assertThat(f.error()).isEqualTo(DriverError.ETIMEDOUT);
        assertThat(f.busyRetries()).isEqualTo(30);
        assertThat(ExitInfo2.decode(f.exitInfo2()).vmmErrorKind()).isEqualTo(VmmError.BUSY);
        assertWipedAndRefusing();
    }

    @Test
    void busyRetryClockRunsFromTheBusyAnswerNotTheSend() {
        getReport(1);
        long latency = 300_000_000L; // the host takes 0.3 s to say BUSY
        long t = 0;
        List<Long> expected = new ArrayList<>();
        List<Long> sends = new ArrayList<>();
        while (true) {
            Vcpu.Vmgexit v = exit();
            sends.add(vcpu.lastArrivalNanos());
            expected.add(t);
            sim.runFor(Duration.ofNanos(latency));
            answer(v, Step.BUSY);
            t += latency;
            if (t >= 60 * SECOND) {
                break;
            }
            t += 2 * SECOND;
        }
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(sends).isEqualTo(expected);
        assertThat(reports.lastArrivalNanos()).isEqualTo(t);
        assertThat(t).isGreaterThanOrEqualTo(60 * SECOND).isLessThan(60 * SECOND + latency + 2 * SECOND);
        assertThat(f.error()).isEqualTo(DriverError.ETIMEDOUT);
    }

    @Test
    void busyThenSuccessReportsTheRetries() {
        getReport(3);
        answer(exit(), Step.BUSY);
        answer(exit(), Step.BUSY);
        answer(exit(), Step.OK);
        Driver.Report r = reports.expectMessageClass(Driver.Report.class);
        assertThat(reports.lastArrivalNanos()).isEqualTo(4 * SECOND);
        assertThat(r.busyRetries()).isEqualTo(2);
        assertThat(r.seqno()).isEqualTo(1);
    }

    @Test
    void invalidLenResendsAsPlainRequestConsumingTheSeqnoThenTellsThePagesNeeded() {
        sim.tell(driver, new Driver.GetExtendedReport(data(4), 0, 0, 1, reports.ref()));
        Vcpu.Vmgexit v = exit();
        assertThat(v.swExitCode()).isEqualTo(SvmExitCode.EXT_GUEST_REQUEST);
        assertThat(v.rbx()).isEqualTo(1);
        assertThat(v.rax() % GuestMemory.PAGE_SIZE).isZero();
        byte[] page = requestPage(v);
        answer(v, Step.INVALID_LEN);
        Vcpu.Vmgexit plain = exit();
        assertThat(vcpu.lastArrivalNanos()).as("resent at once").isZero();
        assertThat(plain.swExitCode()).isEqualTo(SvmExitCode.GUEST_REQUEST);
        assertThat(requestPage(plain)).isEqualTo(page);
        answer(plain, Step.OK);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.NEED_PAGES);
        assertThat(f.pagesNeeded()).isEqualTo(FakeFirmware.CERT_PAGES_NEEDED);
        assertThat(fw.firmwareSeqno(0)).as("firmware consumed seqno 1").isEqualTo(2);

        sim.tell(driver, new Driver.GetExtendedReport(data(5), 0, 0, (int) f.pagesNeeded(), reports.ref()));
        Vcpu.Vmgexit again = exit();
        assertThat(seqnoOf(requestPage(again))).isEqualTo(3);
        assertThat(again.rbx()).isEqualTo(2);
        answer(again, Step.OK);
        Driver.Report r = reports.expectMessageClass(Driver.Report.class);
        assertThat(r.certificates()).hasSize(2 * GuestMemory.PAGE_SIZE);
        assertThat(r.certificates()[0]).isEqualTo((byte) 0x5a);
    }

    @Test
    void firmwareErrorWipesTheKey() {
        getReport(1);
        answer(exit(), Step.FW_ERROR);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.EIO);
        assertThat(f.exitInfo2()).isEqualTo(0x16);
        assertWipedAndRefusing();
    }

    @Test
    void badResponseTagWipesTheKey() {
        getReport(1);
        answer(exit(), Step.BAD_TAG);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.EBADMSG);
        assertThat(f.detail()).contains("authentication tag mismatch");
        assertWipedAndRefusing();
    }

    @Test
    void aResponseWrittenBeforeItsBytesExistAnswersTheSameReportWithoutWaitingForThem() {
        for (int i = 0; i < 3; i++) {
            getReport(i + 1);
            Vcpu.Vmgexit v = exit();
            answer(v, i == 1 ? Step.OK : Step.DEFERRED);
            Driver.Report r = reports.expectMessageClass(Driver.Report.class);
            assertThat(r.seqno()).isEqualTo(2L * i + 1);
            // answered, counters moved, and the page not read: its bytes were never needed yet
            assertThat(fw.deferredComputed).hasValue(i == 0 ? 0 : 1);
            byte[] report = r.report();
            assertThat(Arrays.copyOfRange(report, 0x50, 0x90)).isEqualTo(data(i + 1));
            assertThat(report[0x30]).isZero();
            assertThat(r.reportLater().get()).isSameAs(report);
        }
        assertThat(fw.deferredComputed).hasValue(2);
        assertThat(fw.memory.guestRead(FakeFirmware.SECRETS_GPA + 0xA0, 4)[0]).isEqualTo((byte) 6);
        assertThat(fw.firmwareSeqno(0)).isEqualTo(6);
    }

    @Test
    void aPendingResponsePageTheHostTamperedWithIsOpenedAndRejected() {
        getReport(1);
        answer(exit(), Step.DEFERRED_TAMPERED);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.EBADMSG);
        assertThat(f.detail()).contains("authentication tag mismatch");
        assertWipedAndRefusing();
    }

    @Test
    void aPendingResponseSealedUnderAnotherKeyIsOpenedAndRejected() {
        getReport(1);
        answer(exit(), Step.DEFERRED_OTHER_KEY);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.EBADMSG);
        assertThat(f.detail()).contains("authentication tag mismatch");
        assertThat(fw.deferredComputed).hasValue(1);
        assertWipedAndRefusing();
    }

    @Test
    void wrongResponseSeqnoWipesTheKey() {
        getReport(1);
        answer(exit(), Step.WRONG_SEQNO);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.EBADMSG);
        assertThat(f.detail()).contains("msg_seqno at 0x20 is 4 (expected: 2)");
        assertWipedAndRefusing();
    }

    @Test
    void responseStatusFailureKeepsTheKeyAndTheNextRequestUsesTheNextSeqno() {
        getReport(1);
        answer(exit(), Step.STATUS_ERR);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.RESPONSE_STATUS);
        assertThat(f.responseStatus()).isEqualTo(0x16);
        getReport(2);
        Vcpu.Vmgexit v = exit();
        assertThat(seqnoOf(requestPage(v))).isEqualTo(3);
        answer(v, Step.OK);
        assertThat(reports.expectMessageClass(Driver.Report.class).seqno()).isEqualTo(3);
    }

    @Test
    void derivedKeyRoundTrip() {
        sim.tell(driver, new Driver.GetDerivedKey(new KeyRequest(KeyRequest.ROOT_KEY_VCEK, 1, 0, 0, 0), keys.ref()));
        answer(exit(), Step.OK);
        Driver.DerivedKey k = keys.expectMessageClass(Driver.DerivedKey.class);
        assertThat(k.key()).hasSize(32).containsOnly((byte) 1);
    }

    @Test
    void badArgumentsAreRefusedWithoutTouchingTheHost() {
        sim.tell(driver, new Driver.GetExtendedReport(data(1), 0, 0, 5, reports.ref()));
        sim.tell(driver, new Driver.GetReport(data(1), 4, 0, reports.ref()));
        Driver.Failed a = reports.expectMessageClass(Driver.Failed.class);
        Driver.Failed b = reports.expectMessageClass(Driver.Failed.class);
        assertThat(a.error()).isEqualTo(DriverError.EINVAL);
        assertThat(a.detail()).isEqualTo("certificate buffer of 5 pages (expected: 0..4)");
        assertThat(b.detail()).contains("vmpl is 4");
        vcpu.expectNoMessage(Duration.ofSeconds(1));
    }

    private void assertWipedAndRefusing() {
        assertThat(fw.memory.guestRead(FakeFirmware.SECRETS_GPA + 0x20, 32)).containsOnly((byte) 0);
        assertThat(fw.memory.guestRead(FakeFirmware.SECRETS_GPA + 0x40, 32)).as("other vmpcks untouched")
                .isEqualTo(fw.vmpcks[1]);
        getReport(2);
        Driver.Failed f = reports.expectMessageClass(Driver.Failed.class);
        assertThat(f.error()).isEqualTo(DriverError.ENOTTY);
        vcpu.expectNoMessage(Duration.ofSeconds(5));
    }
}
