package dev.snpsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.verify.Verdict;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.host.mgmt.Mgmt;
import dev.snpsim.sim.SimProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole host with the real PSP: launch, extended reports per profile, faults and repair. */
class HostTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void extendedReportVerifiesAgainstTheServedChainAndCarriesTheLaunchMeasurement(HostAbiProfile p) {
        try (HostHarness h = new HostHarness(dir, 1, c -> c.withProfile(p))) {
            VmConfig cfg = VmConfig.snp("vm-a", 2).withHostData(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
            Vm.Launched vm = h.launch(cfg);
            assertThat(vm.measurement()).isEqualTo(Vm.expectedMeasurement(cfg));
            h.guest(vm, 2, TestGuest.CERT_PAGES, Duration.ofMillis(1));
            h.sim.runUntil(() -> h.outcomes.size() == 2, MINUTE);
            for (TestGuest.Outcome o : h.outcomes) {
                assertThat(o.exitInfo2().isSuccess()).as(o.toString()).isTrue();
                Verdict v = HostHarness.verify(o);
                assertThat(v.ok()).as(v.toString()).isTrue();
                AttestationReport r = AttestationReport.decode(o.report());
                assertThat(r.measurement()).isEqualTo(vm.measurement());
                assertThat(r.hostData()).isEqualTo(cfg.hostData());
            }
            assertThat(h.outcomes.get(0).table().find(CertGuid.VCEK)).isPresent();
        }
    }

    @Test
    void theSameHostRunsInRealTime() {
        try (HostHarness h = new HostHarness(dir, dev.snpsim.sim.SimConfig.realtime(1), c -> c)) {
            Vm.Launched a = h.launch(VmConfig.snp("vm-a", 1));
            Vm.Launched b = h.launch(VmConfig.snp("vm-b", 1));
            h.guest(a, 3, TestGuest.CERT_PAGES, Duration.ofMillis(2));
            h.guest(b, 3, TestGuest.CERT_PAGES, Duration.ofMillis(2));
            h.sim.runUntil(() -> h.outcomes.size() == 6, Duration.ofSeconds(30));
            assertThat(h.outcomes).hasSize(6);
            for (TestGuest.Outcome o : List.copyOf(h.outcomes)) {
                assertThat(HostHarness.verify(o).ok()).isTrue();
            }
        }
    }

    @Test
    void shutdownDecommissionsTheGuestAndFreesItsId() {
        try (HostHarness h = new HostHarness(dir, 1, c -> c)) {
            h.launch(VmConfig.snp("vm-a", 1));
            SimProbe<org.apache.pekko.actor.typed.ActorRef<Vm.Command>> created = h.sim.probe("again");
            h.sim.tell(h.sim.system(), new Host.CreateVm(VmConfig.snp("vm-a", 1), created.ref()));
            org.apache.pekko.actor.typed.ActorRef<Vm.Command> vm = created.receiveMessage();
            SimProbe<Vm.ShutDown> down = h.sim.probe("down");
            h.sim.tell(vm, new Vm.Shutdown(down.ref()));
            assertThat(down.receiveMessage()).isEqualTo(new Vm.ShutDown("vm-a", FirmwareStatus.SUCCESS));
            SimProbe<dev.snpsim.psp.Psp.PlatformStatusReply> status = h.sim.probe("status");
            h.sim.tell(h.parts.psp(), new dev.snpsim.psp.Psp.PlatformStatus(status.ref()));
            assertThat(status.receiveMessage().state().guestCount()).isZero();
            Vm.Launched again = h.launch(VmConfig.snp("vm-a", 1)); // a new VM under the same id
            h.guest(again, 1, TestGuest.CERT_PAGES, Duration.ofMillis(1));
            h.sim.runUntil(() -> h.outcomes.size() == 1, MINUTE);
            assertThat(HostHarness.verify(h.outcomes.get(0)).ok()).isTrue();
        }
    }

    @Test
    void emptyTableProfileServesNoCertificatesButASignedReport() {
        try (HostHarness h = new HostHarness(dir, 1, c -> c.withProfile(HostAbiProfile.EMPTY_TABLE))) {
            Vm.Launched vm = h.launch(VmConfig.snp("vm-a", 1));
            h.guest(vm, 1, TestGuest.CERT_PAGES, Duration.ofMillis(1));
            h.sim.runUntil(() -> h.outcomes.size() == 1, MINUTE);
            TestGuest.Outcome o = h.outcomes.get(0);
            assertThat(o.exitInfo2().isSuccess()).isTrue();
            assertThat(o.table().entries()).isEmpty();
            assertThat(HostHarness.verify(o).reason()).isEqualTo(Verdict.Reason.MISSING_CERTIFICATE);
        }
    }

    @Test
    void tooSmallBufferIsInvalidLenWithThePagesTheBlobNeeds() throws IOException {
        try (HostHarness h = new HostHarness(dir, 1, c -> c)) {
            Vm.Launched vm = h.launch(VmConfig.snp("vm-a", 1));
            h.guest(vm, 1, 1, Duration.ofMillis(1));
            h.sim.runUntil(() -> h.outcomes.size() == 1, MINUTE);
            TestGuest.Outcome o = h.outcomes.get(0);
            long needed = (Files.size(h.config.blobPath()) + 4095) / 4096;
            assertThat(needed).isGreaterThan(1);
            assertThat(o.exitInfo2().vmmErrorKind()).isEqualTo(VmmError.INVALID_LEN);
            assertThat(o.rbx()).isEqualTo(needed);
        }
    }

    @Test
    void corruptBlobIsGenericAndTheGuestWorksAgainAfterRepair() throws IOException {
        try (HostHarness h = new HostHarness(dir, 1, c -> c)) {
            Vm.Launched vm = h.launch(VmConfig.snp("vm-a", 1));
            byte[] bytes = Files.readAllBytes(h.config.blobPath());
            Files.write(h.config.blobPath(), java.util.Arrays.copyOf(bytes, bytes.length / 2)); // torn by hand
            h.guest(vm, 1, TestGuest.CERT_PAGES, Duration.ofMillis(1));
            h.sim.runUntil(() -> h.outcomes.size() == 1, MINUTE);
            assertThat(h.outcomes.get(0).exitInfo2().vmmErrorKind()).isEqualTo(VmmError.GENERIC);

            SimProbe<Mgmt.Done> done = h.sim.probe("repair");
            h.sim.tell(h.parts.mgmt(), new Mgmt.RefreshBlob(done.ref()));
            assertThat(done.expectMessageClass(Mgmt.Done.class).result()).isEqualTo(Mgmt.Result.DONE);
            Vm.Launched vm2 = h.launch(VmConfig.snp("vm-b", 1));
            h.guest(vm2, 1, TestGuest.CERT_PAGES, Duration.ofMillis(1));
            h.sim.runUntil(() -> h.outcomes.size() == 2, MINUTE);
            assertThat(HostHarness.verify(h.outcomes.get(1)).ok()).isTrue();
        }
    }

    @Test
    void nonSnpVmLaunchesWithoutThePspAndItsRequestsAreRefused() {
        try (HostHarness h = new HostHarness(dir, 1, c -> c)) {
            SimProbe<org.apache.pekko.actor.typed.ActorRef<Vm.Command>> created = h.sim.probe("created");
            h.sim.tell(h.sim.system(), new Host.CreateVm(VmConfig.snp("plain", 1).withSnp(false), created.ref()));
            SimProbe<Vm.Launched> launched = h.sim.probe("launched");
            h.sim.tell(created.receiveMessage(), new Vm.Launch(launched.ref()));
            Vm.Launched l = launched.expectMessageClass(Vm.Launched.class);
            assertThat(l.measurement()).isEmpty();
            assertThat(l.secretsPageGpa()).isEqualTo(-1);
            SimProbe<dev.snpsim.host.kvm.Vcpu.VmgexitDone> g = h.sim.probe("g");
            l.memory().setShared(TestGuest.REQ, 2, true);
            h.sim.tell(l.vcpus().get(0), new dev.snpsim.host.kvm.Vcpu.Vmgexit(0x8000_0011L, TestGuest.REQ,
                    TestGuest.RESP, 0, 0, g.ref()));
            assertThat(g.receiveMessage().swExitInfo2()).isEqualTo(0xFFFF_FFFF_0000_0000L);
        }
    }
}
