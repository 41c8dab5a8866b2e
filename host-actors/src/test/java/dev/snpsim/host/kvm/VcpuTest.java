package dev.snpsim.host.kvm;

import static dev.snpsim.host.kvm.VcpuHarness.CERTS;
import static dev.snpsim.host.kvm.VcpuHarness.CERT_PAGES;
import static dev.snpsim.host.kvm.VcpuHarness.PRIVATE;
import static dev.snpsim.host.kvm.VcpuHarness.REQ;
import static dev.snpsim.host.kvm.VcpuHarness.RESP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.KvmExitCoco;
import dev.snpsim.abi.ghcb.KvmExitSnpReqCerts;
import dev.snpsim.abi.ghcb.KvmUserVmgexit;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vCPU's side of SPEC.md section 3 for every profile, with probes as guest, VMM and PSP:
 * each row of the return-code tables, validation, the fallback table, firmware outcomes and
 * host access to private pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VcpuTest {
    private static final Duration SHORT = Duration.ofSeconds(1);
    private Simulation<Void> sim;
    private int n;

    @BeforeAll
    void start() {
        sim = Simulation.create(Behaviors.empty(), "vcpu", SimConfig.virtual(7));
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    private VcpuHarness harness(HostAbiProfile p) {
        return new VcpuHarness(sim, "t" + (++n), p, true, true, "off");
    }

    private static ExitInfo2 info(Vcpu.VmgexitDone d) {
        return ExitInfo2.decode(d.swExitInfo2());
    }

    // ---- plain requests: the kernel path ------------------------------------------------

    @ParameterizedTest
    @EnumSource(HostAbiProfile.class)
    void plainRequestReachesThePspAndTheResponseLandsInTheResponsePage(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.plain();
        Psp.GuestRequest r = h.expectPspRequest();
        assertThat(r.vmId()).isEqualTo(VcpuHarness.VM);
        assertThat(r.request()).isEqualTo(VcpuHarness.requestPage(5));
        h.sim.tell(r.replyTo(), new Psp.GuestResponse(r.vmId(), Psp.Outcome.DONE, FirmwareStatus.SUCCESS,
                VcpuHarness.responsePage()));
        Vcpu.VmgexitDone d = h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        assertThat(d.swExitInfo2()).isZero();
        assertThat(h.memory.guestRead(RESP, 4096)).isEqualTo(VcpuHarness.responsePage());
        h.vmm.expectNoMessage(SHORT);
    }

    @ParameterizedTest
    @EnumSource(HostAbiProfile.class)
    void firmwareFailureGoesToTheLow32Bits(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.plain();
        Psp.GuestRequest r = h.expectPspRequest();
        h.sim.tell(r.replyTo(), new Psp.GuestResponse(r.vmId(), Psp.Outcome.DONE, FirmwareStatus.INVALID_PARAM, null));
        Vcpu.VmgexitDone d = h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        assertThat(d.swExitInfo2()).isEqualTo(0x16L);
        assertThat(h.memory.guestRead(RESP, 16)).containsOnly(0);
    }

    @Test
    void pspQueueFullIsBusy() {
        VcpuHarness h = harness(HostAbiProfile.COCO);
        h.plain();
        Psp.GuestRequest r = h.expectPspRequest();
        h.sim.tell(r.replyTo(), new Psp.GuestResponse(r.vmId(), Psp.Outcome.QUEUE_FULL, FirmwareStatus.SUCCESS, null));
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(0x2_0000_0000L);
    }

    @Test
    void exitsAreCountedByVmmErrorAndThrottlesAsTheyHappen() {
        // the simulation is shared by the tests of this class: compare with the counts before
        long none = count("kvm.vmgexit.none");
        long busy = count("kvm.vmgexit.busy");
        long throttled = count("kvm.throttled");
        VcpuHarness h = new VcpuHarness(sim, "t" + (++n), HostAbiProfile.COCO, true, true, "per-vm-1000-1");
        h.plain();
        h.pspSucceeds();
        h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        h.plain();
        h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        h.plain();
        h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        assertThat(count("kvm.vmgexit.none")).isEqualTo(none + 1);
        assertThat(count("kvm.vmgexit.busy")).isEqualTo(busy + 2);
        assertThat(count("kvm.throttled")).isEqualTo(throttled + 2);
    }

    private long count(String key) {
        var c = sim.metrics().counters().get(key);
        return c == null ? 0 : c.get();
    }

    @Test
    void rateLimiterAnswersBusyWithoutReachingThePspAndAdmitsAgainAfterTheInterval() {
        VcpuHarness h = new VcpuHarness(sim, "t" + (++n), HostAbiProfile.COCO, true, true, "per-vm-1000-1");
        h.plain();
        h.pspSucceeds();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isZero();
        h.plain();
        assertThat(info(h.guest.expectMessageClass(Vcpu.VmgexitDone.class)).vmmErrorKind()).isEqualTo(VmmError.BUSY);
        h.psp.expectNoMessage(Duration.ofMillis(1000));
        h.plain();
        h.pspSucceeds();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isZero();
        assertThat(h.gate.throttled()).isEqualTo(1);
        assertThat(h.gate.forwarded()).isEqualTo(2);
    }

    @Test
    void aSecondVmgexitWaitsForTheFirst() {
        VcpuHarness h = harness(HostAbiProfile.COCO);
        h.plain();
        h.plain();
        h.pspSucceeds();
        h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        h.pspSucceeds();
        h.guest.expectMessageClass(Vcpu.VmgexitDone.class);
        h.psp.expectNoMessage(SHORT);
    }

    // ---- validation -------------------------------------------------------------------

    private static long generic(HostAbiProfile p) {
        return p == HostAbiProfile.V15_VMGEXIT ? 0x8000_0000_0000_0000L : 0xFFFF_FFFF_0000_0000L;
    }

    @ParameterizedTest
    @EnumSource(HostAbiProfile.class)
    void unalignedRaxIsGenericInTheProfileEncoding(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.extended(CERTS + 8, 1);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(generic(p));
        h.psp.expectNoMessage(SHORT);
        h.vmm.expectNoMessage(Duration.ZERO);
    }

    @ParameterizedTest
    @EnumSource(HostAbiProfile.class)
    void nonSnpVmIsRefusedGeneric(HostAbiProfile p) {
        VcpuHarness h = new VcpuHarness(sim, "t" + (++n), p, false, true, "off");
        h.extended(CERTS, CERT_PAGES);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(generic(p));
        h.plain();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(generic(p));
        h.psp.expectNoMessage(SHORT);
    }

    @Test
    void unknownExitCodeAndBadPagesAreGeneric() {
        VcpuHarness h = harness(HostAbiProfile.SNP_REQ_CERTS);
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(0x8000_0013L, REQ, RESP, 0, 0, h.guest.ref()));
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, REQ, REQ, 0, 0, h.guest.ref()));
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, REQ + 1, RESP, 0, 0, h.guest.ref()));
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, 1L << 40, RESP, 0, 0, h.guest.ref()));
        h.extended(CERTS, 1 << 20);
        for (int i = 0; i < 5; i++) {
            assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2())
                    .isEqualTo(0xFFFF_FFFF_0000_0000L);
        }
        h.psp.expectNoMessage(SHORT);
    }

    // ---- extended requests: the certificate exit --------------------------------------

    @Test
    void exitsCarryTheProfilesExactStructure() {
        VcpuHarness coco = harness(HostAbiProfile.COCO);
        coco.extended(CERTS, 3);
        Vmm.CertificateExit e = coco.expectExit();
        assertThat(e.profile()).isEqualTo(HostAbiProfile.COCO);
        assertThat(KvmExitCoco.decode(e.exit(), 0)).isEqualTo(KvmExitCoco.reqCerts(CERTS >>> 12, 3));
        VcpuHarness up = harness(HostAbiProfile.SNP_REQ_CERTS);
        up.extended(CERTS, 3);
        assertThat(KvmExitSnpReqCerts.decode(up.expectExit().exit(), 0)).isEqualTo(new KvmExitSnpReqCerts(CERTS, 3, 0));
        VcpuHarness v15 = harness(HostAbiProfile.V15_VMGEXIT);
        v15.extended(CERTS, 3);
        assertThat(KvmUserVmgexit.decode(v15.expectExit().exit(), 0)).isEqualTo(KvmUserVmgexit.pending(CERTS, 3));
        coco.psp.expectNoMessage(SHORT);
        coco.guest.expectNoMessage(Duration.ZERO);
    }

    /** ret 0 (and immediate_exit / NOTIFY_DONE): firmware request, then EINTR (v15: the DONE exit). */
    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void okIssuesTheFirmwareRequestThenTellsUserspace(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.extended(CERTS, CERT_PAGES);
        Vmm.CertificateExit e = h.expectExit();
        boolean v15 = p == HostAbiProfile.V15_VMGEXIT;
        h.userspaceReturns(CertExitAbi.answer(p, e.exit(), CertExitAbi.Answer.OK, 0, v15), !v15);
        h.guest.expectNoMessage(SHORT);
        h.vmm.expectNoMessage(Duration.ZERO);
        h.pspSucceeds();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class)).isEqualTo(new Vcpu.VmgexitDone(0, CERT_PAGES));
        assertThat(h.vmm.expectMessageClass(Vmm.RunReturned.class))
                .isEqualTo(new Vmm.RunReturned(0, v15 ? 0 : Errno.EINTR));
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void okWithoutImmediateExitDoesNotReturnToUserspace(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.extended(CERTS, CERT_PAGES);
        h.userspaceReturns(CertExitAbi.answer(p, h.expectExit().exit(), CertExitAbi.Answer.OK, 0, false), false);
        h.pspSucceeds();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isZero();
        h.vmm.expectNoMessage(SHORT);
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void noSpaceIsInvalidLenWithThePagesNeededInRbx(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.extended(CERTS, 1);
        h.userspaceReturns(CertExitAbi.answer(p, h.expectExit().exit(), CertExitAbi.Answer.NO_SPACE, 5, false), false);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class))
                .isEqualTo(new Vcpu.VmgexitDone(0x1_0000_0000L, 5));
        h.psp.expectNoMessage(SHORT);
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void againIsBusy(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.extended(CERTS, CERT_PAGES);
        h.userspaceReturns(CertExitAbi.answer(p, h.expectExit().exit(), CertExitAbi.Answer.AGAIN, 0, false), false);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class))
                .isEqualTo(new Vcpu.VmgexitDone(0x2_0000_0000L, CERT_PAGES));
        h.psp.expectNoMessage(SHORT);
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void ioErrorIsGeneric(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.extended(CERTS, CERT_PAGES);
        h.userspaceReturns(CertExitAbi.answer(p, h.expectExit().exit(), CertExitAbi.Answer.IO_ERROR, 0, false), true);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(generic(p));
        // immediate_exit set: KVM_RUN still returns EINTR after completing the exit
        assertThat(h.vmm.expectMessageClass(Vmm.RunReturned.class)).isEqualTo(new Vmm.RunReturned(0, Errno.EINTR));
        h.psp.expectNoMessage(SHORT);
    }

    @Test
    void cocoTreatsAnyOtherRetAsGeneric() {
        VcpuHarness h = harness(HostAbiProfile.COCO);
        h.extended(CERTS, CERT_PAGES);
        h.userspaceReturns(KvmExitCoco.decode(h.expectExit().exit(), 0).withRet(99).encode(), false);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(0xFFFF_FFFF_0000_0000L);
    }

    @Test
    void v15TreatsAnyOtherRetAsGenericBit31() {
        VcpuHarness h = harness(HostAbiProfile.V15_VMGEXIT);
        h.extended(CERTS, CERT_PAGES);
        KvmUserVmgexit v = KvmUserVmgexit.decode(h.expectExit().exit(), 0);
        h.userspaceReturns(new KvmUserVmgexit(v.type(), v.dataGpa(), v.dataNpages(), 7, 0, 0).encode(), false);
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isEqualTo(0x8000_0000_0000_0000L);
    }

    @Test
    void snpReqCertsFailsTheNextRunWithEinvalForAnyOtherRet() {
        VcpuHarness h = harness(HostAbiProfile.SNP_REQ_CERTS);
        h.extended(CERTS, CERT_PAGES);
        h.userspaceReturns(KvmExitSnpReqCerts.decode(h.expectExit().exit(), 0).withRet(1).encode(), true);
        assertThat(h.vmm.expectMessageClass(Vmm.RunReturned.class)).isEqualTo(new Vmm.RunReturned(0, Errno.EINVAL));
        h.guest.expectNoMessage(SHORT);
        h.plain(); // the vCPU is dead: the VMM would have stopped the VM
        h.guest.expectNoMessage(SHORT);
        h.psp.expectNoMessage(Duration.ZERO);
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS"})
    void onlyReportRequestsExit(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.memory.guestWrite(REQ, VcpuHarness.requestPage(3)); // MSG_KEY_REQ
        byte[] marker = new byte[24];
        Arrays.fill(marker, (byte) 0xEE);
        h.memory.guestWrite(CERTS, marker);
        h.extended(CERTS + 8, CERT_PAGES); // not checked either: only report requests use the buffer
        h.pspSucceeds();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isZero();
        assertThat(h.memory.guestRead(CERTS, 24)).isEqualTo(marker);
        h.vmm.expectNoMessage(Duration.ZERO);
    }

    // ---- no exit: KVM writes the empty table ------------------------------------------

    @Test
    void emptyTableProfileWritesTwentyFourZeroBytesAndIssuesThePlainRequest() {
        VcpuHarness h = harness(HostAbiProfile.EMPTY_TABLE);
        assertEmptyTable(h);
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS"})
    void disabledCapabilityFallsBackToTheEmptyTable(HostAbiProfile p) {
        assertEmptyTable(new VcpuHarness(sim, "t" + (++n), p, true, false, "off"));
    }

    @Test
    void capabilityEnabledLaterMakesExtendedRequestsExit() {
        VcpuHarness h = new VcpuHarness(sim, "t" + (++n), HostAbiProfile.COCO, true, false, "off");
        h.sim.tell(h.vcpu, new Vcpu.SetCertExits(true));
        h.extended(CERTS, CERT_PAGES);
        h.expectExit();
    }

    private void assertEmptyTable(VcpuHarness h) {
        byte[] ff = new byte[64];
        Arrays.fill(ff, (byte) 0xFF);
        h.memory.guestWrite(CERTS, ff);
        h.extended(CERTS, CERT_PAGES);
        h.pspSucceeds();
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2()).isZero();
        byte[] table = h.memory.guestRead(CERTS, 64);
        assertThat(Arrays.copyOfRange(table, 0, 24)).containsOnly(0);
        assertThat(Arrays.copyOfRange(table, 24, 64)).containsOnly(0xFF);
        h.vmm.expectNoMessage(Duration.ZERO);
    }

    // ---- private pages ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "EMPTY_TABLE"})
    void privateRequestPageFailsKvmRunWithEio(HostAbiProfile p) {
        VcpuHarness h = harness(p);
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, PRIVATE, RESP, 0, 0, h.guest.ref()));
        assertThat(h.vmm.expectMessageClass(Vmm.RunReturned.class)).isEqualTo(new Vmm.RunReturned(0, Errno.EIO));
        h.guest.expectNoMessage(SHORT);
        h.psp.expectNoMessage(Duration.ZERO);
    }

    @Test
    void v15AnswersInvalidAddressForAPrivateRequestPage() {
        VcpuHarness h = harness(HostAbiProfile.V15_VMGEXIT);
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, PRIVATE, RESP, 0, 0, h.guest.ref()));
        assertThat(h.guest.expectMessageClass(Vcpu.VmgexitDone.class).swExitInfo2())
                .isEqualTo((long) FirmwareStatus.INVALID_ADDRESS.code());
        h.psp.expectNoMessage(SHORT);
    }

    @Test
    void privateResponsePageIsNeverWritten() {
        VcpuHarness h = harness(HostAbiProfile.COCO);
        h.sim.tell(h.vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, REQ, PRIVATE, 0, 0, h.guest.ref()));
        h.pspSucceeds();
        assertThat(h.vmm.expectMessageClass(Vmm.RunReturned.class)).isEqualTo(new Vmm.RunReturned(0, Errno.EIO));
        assertThat(h.memory.guestRead(PRIVATE, 4096)).containsOnly(0);
    }

    @Test
    void privateCertificateBufferInTheEmptyTableProfileFailsTheRun() {
        VcpuHarness h = harness(HostAbiProfile.EMPTY_TABLE);
        h.extended(PRIVATE, 1);
        assertThat(h.vmm.expectMessageClass(Vmm.RunReturned.class)).isEqualTo(new Vmm.RunReturned(0, Errno.EIO));
        h.psp.expectNoMessage(SHORT);
    }
}
