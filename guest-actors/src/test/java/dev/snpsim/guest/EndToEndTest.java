package dev.snpsim.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.Check;
import dev.snpsim.guest.rp.Outcome;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.workload.RequestMix;
import dev.snpsim.guest.workload.TenantConfig;
import dev.snpsim.guest.workload.Workload;
import dev.snpsim.guest.workload.WorkloadSpec;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.offload.Offload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guests -> vCPUs -> VMM -> certificate store -> PSP and back, on the real actors of every module:
 * each guest's workload attests through its driver and the relying party verifies every report
 * against the certificates the VMM put in the guest's buffer.
 */
class EndToEndTest {
    @TempDir
    Path dir;

    private static Map<String, Long> counters(Metrics m, String tenant) {
        Map<String, Long> out = new TreeMap<>();
        m.counters().forEach((k, v) -> {
            if (k.startsWith("guest/" + tenant + "/")) {
                out.put(k.substring(k.lastIndexOf('/') + 1), v.get());
            }
        });
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "V15_VMGEXIT", "SNP_REQ_CERTS"})
    void everyReportIsVerified(HostAbiProfile profile) {
        try (TestHost host = new TestHost(dir, 17, profile, "off")) {
            RelyingParty rp = new RelyingParty(TestHost.ark());
            TenantConfig tenant = new TenantConfig("acme", 3, 2, new WorkloadSpec.Closed(2, Duration.ofMillis(50), 12),
                    new RequestMix(1, 2, 1), TenantConfig.SigningKeyPreference.VCEK, 0, 1);
            for (int g = 0; g < tenant.guests(); g++) {
                Vm.Launched l = host.launch(VmConfig.snp("acme-" + g, tenant.vcpusPerGuest()));
                ActorRef<Driver.Command> d = host.sim.spawn(Driver.create(l.vmId(), l, DriverConfig.linuxDefaults()),
                        l.vmId() + "-driver");
                ActorRef<Workload.Command> w = host.sim.spawn(Workload.create(l.vmId(), tenant, d, rp),
                        l.vmId() + "-workload");
                host.sim.tell(w, Workload.Start.INSTANCE);
            }
            host.sim.runFor(Duration.ofMinutes(2));
            Map<String, Long> c = counters(host.sim.metrics(), "acme");
            long sent = 3L * 12;
            long answered = c.get("requests");
            assertThat(answered - c.get("enospc")).as("%s", c).isEqualTo(sent);
            assertThat(c.get("verified") + c.get("derived-keys")).as("%s", c).isEqualTo(sent);
            assertThat(c.get("verified")).isGreaterThan(0);
            assertThat(c.get("derived-keys")).isGreaterThan(0);
            assertThat(c.get("enospc")).as("each agent learns the buffer size once").isBetween(1L, 6L);
            assertThat(c).containsEntry("stale-certificate", 0L).containsEntry("rejected", 0L)
                    .containsEntry("nonce-mismatch", 0L).containsEntry("no-certificates", 0L)
                    .containsEntry("vmpck-wiped", 0L).containsEntry("failed", 0L).containsEntry("timeouts", 0L);
            assertThat(host.sim.metrics().histogram("guest/acme/latency").getTotalCount()).isEqualTo(answered);
            assertThat(rp.fullVerifications()).as("the chain is verified once and cached").isEqualTo(1);
        }
    }

    @Test
    void withAWorkerTheReportIsAnsweredBeforeItsResponsePageIsComputedAndVerifies() {
        assumeTrue(Offload.shared().workers() > 0,
                "no offload worker in this JVM (one processor): the PSP answers with its bytes, nothing is deferred");
        try (TestHost host = new TestHost(dir, 19, HostAbiProfile.COCO, "off")) {
            Vm.Launched l = host.launch(VmConfig.snp("solo", 1));
            DriverConfig config = DriverConfig.linuxDefaults();
            ActorRef<Driver.Command> d = host.sim.spawn(Driver.create(l.vmId(), l, config), "solo-driver");
            SimProbe<Driver.ReportReply> replies = host.sim.probe("replies");
            byte[] nonce = new byte[64];
            Arrays.fill(nonce, (byte) 0x5e);
            host.sim.tell(d, new Driver.GetExtendedReport(nonce, 0, ReportRequest.KEY_SEL_VCEK, 4, replies.ref()));
            Driver.Report r = replies.expectMessageClass(Driver.Report.class);
            long responseGpa = l.memory().size() - (long) config.sharedPages() * GuestMemory.PAGE_SIZE
                    + GuestMemory.PAGE_SIZE;
            // answered, and the sealed page in guest memory still has no bytes: nothing waited for the signature
            assertThat(l.memory().untouched(responseGpa)).isNotNull();
            Check c = new RelyingParty(TestHost.ark()).check(nonce, r.report(), CertTable.decode(r.certificates()));
            assertThat(c.outcome()).as("%s", c).isEqualTo(Outcome.VERIFIED);
            // the guest opened its own copy; the page reads as the sealed page once something reads it
            byte[] page = l.memory().guestRead(responseGpa, GuestMemory.PAGE_SIZE);
            assertThat(l.memory().untouched(responseGpa)).isNull();
            assertThat(GuestMessageHeader.decode(page).seqno()).isEqualTo(r.seqno() + 1);
        }
    }

    @Test
    void emptyTableProfileGivesReportsWithoutCertificates() {
        try (TestHost host = new TestHost(dir, 18, HostAbiProfile.EMPTY_TABLE, "off")) {
            Vm.Launched l = host.launch(VmConfig.snp("solo", 1));
            ActorRef<Driver.Command> d = host.sim.spawn(Driver.create("solo", l, DriverConfig.linuxDefaults()), "d");
            var probe = host.sim.<Driver.ReportReply>probe("r");
            host.sim.tell(d, new Driver.GetExtendedReport(new byte[64], 0, 1, 1, probe.ref()));
            Driver.Report r = probe.expectMessageClass(Driver.Report.class);
            assertThat(dev.snpsim.abi.certs.CertTable.decode(r.certificates()).entries()).isEmpty();
            assertThat(r.report()).hasSize(0x4a0);
        }
    }
}
