package dev.snpsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.host.certstore.CertBlobFile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.host.mgmt.Mgmt;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.SimProbe;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Management operations against the real PSP and KDS: the blob follows the key the firmware signs with. */
class MgmtTest {
    private static final TcbVersion NEWER = TcbVersion.of(HostHarness.P, 0, 4, 0, 9, 115);

    @TempDir
    Path dir;

    private static Mgmt.Done run(HostHarness h, java.util.function.Function<SimProbe<Mgmt.Done>, Mgmt.Command> op) {
        SimProbe<Mgmt.Done> done = h.sim.probe("op-" + h.sim.nowNanos());
        h.sim.tell(h.parts.mgmt(), op.apply(done));
        return done.expectMessageClass(Mgmt.Done.class, Duration.ofMinutes(1));
    }

    private static byte[] servedVcek(HostHarness h) {
        return new CertBlobFile(h.config.blobPath()).read().find(CertGuid.VCEK).orElseThrow();
    }

    private static AttestationReport report(HostHarness h, String vmId) {
        Vm.Launched vm = h.launch(VmConfig.snp(vmId, 1));
        int before = h.outcomes.size();
        h.guest(vm, 1, 8, Duration.ofMillis(1));
        h.sim.runUntil(() -> h.outcomes.size() == before + 1, Duration.ofMinutes(1));
        TestGuest.Outcome o = h.outcomes.get(before);
        assertThat(HostHarness.verify(o).ok()).as(HostHarness.verify(o).toString()).isTrue();
        return AttestationReport.decode(o.report());
    }

    @Test
    void initialBlobIsTheVcekChainOfTheReportedTcb() throws Exception {
        try (HostHarness h = new HostHarness(dir, 1, c -> c)) {
            assertThat(h.parts.initialBlob().result()).isEqualTo(Mgmt.Result.DONE);
            byte[] chipId = h.config.psp().firmware().chipId();
            assertThat(servedVcek(h)).isEqualTo(
                    HostHarness.KEYS.vcek(HostHarness.P, chipId, HostHarness.TCB).certificate().getEncoded());
        }
    }

    @Test
    void firmwareUpdateCommitAndSetConfigMoveTheServedVcekWithTheReportedTcb() throws Exception {
        try (HostHarness h = new HostHarness(dir, 2, c -> c)) {
            assertThat(run(h, d -> new Mgmt.UpdateFirmware(22, 55, 1, NEWER, d.ref())).result())
                    .isEqualTo(Mgmt.Result.DONE);
            SimProbe<Psp.PlatformStatusReply> status = h.sim.probe("status");
            h.sim.tell(h.parts.psp(), new Psp.PlatformStatus(status.ref()));
            Psp.PlatformStatusReply s = status.expectMessageClass(Psp.PlatformStatusReply.class);
            assertThat(s.state().committedTcb()).isEqualTo(NEWER);
            AttestationReport before = report(h, "vm-a");
            assertThat(before.reportedTcb()).isEqualTo(s.state().reportedTcb());

            assertThat(run(h, d -> new Mgmt.SetReportedTcb(NEWER, d.ref())).result()).isEqualTo(Mgmt.Result.DONE);
            byte[] chipId = h.config.psp().firmware().chipId();
            assertThat(servedVcek(h)).isEqualTo(HostHarness.KEYS.vcek(HostHarness.P, chipId, NEWER).certificate()
                    .getEncoded());
            assertThat(report(h, "vm-b").reportedTcb()).isEqualTo(NEWER);
        }
    }

    @Test
    void guestsAreToldBusyWhileAnUpdateHoldsTheBlobAndAreServedTheNewChainAfterIt() {
        try (HostHarness h = new HostHarness(dir, 4, c -> c)) {
            Vm.Launched vm = h.launch(VmConfig.snp("vm-a", 1));
            SimProbe<Mgmt.Done> done = h.sim.probe("update");
            h.sim.tell(h.parts.mgmt(), new Mgmt.UpdateFirmware(22, 55, 1, NEWER, done.ref()));
            h.sim.runFor(Duration.ofMillis(1));
            h.guest(vm, 1, 8, Duration.ofMillis(1));
            assertThat(done.expectMessageClass(Mgmt.Done.class).result()).isEqualTo(Mgmt.Result.DONE);
            h.sim.runUntil(() -> h.outcomes.size() == 1, Duration.ofMinutes(1));
            // DOWNLOAD_FIRMWARE_EX takes 500 ms, the VMM waits 100 ms per try: EAGAIN -> BUSY, retried
            assertThat(h.sim.metrics().counters().get("kvm.vmgexit.busy").get()).isGreaterThanOrEqualTo(3);
            assertThat(h.sim.metrics().counters().get("vmm.answer.again").get()).isGreaterThanOrEqualTo(3);
            assertThat(HostHarness.verify(h.outcomes.get(0)).ok()).isTrue();
        }
    }

    @Test
    void setConfigAboveCommittedIsAFirmwareErrorAndTheBlobStays() throws Exception {
        try (HostHarness h = new HostHarness(dir, 3, c -> c)) {
            byte[] vcek = servedVcek(h);
            Mgmt.Done d = run(h, p -> new Mgmt.SetReportedTcb(NEWER, p.ref()));
            assertThat(d.result()).isEqualTo(Mgmt.Result.FIRMWARE_ERROR);
            assertThat(d.detail()).contains("SNP_SET_CONFIG");
            assertThat(servedVcek(h)).isEqualTo(vcek);
            report(h, "vm-a");
        }
    }
}
