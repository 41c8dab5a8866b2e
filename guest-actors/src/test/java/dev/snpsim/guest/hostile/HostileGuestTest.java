package dev.snpsim.guest.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.guest.TestHost;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.workload.RequestMix;
import dev.snpsim.guest.workload.TenantConfig;
import dev.snpsim.guest.workload.Workload;
import dev.snpsim.guest.workload.WorkloadSpec;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.sim.SimProbe;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each abuse through the whole host (real vCPU, VMM, certificate store and PSP), while an honest
 * tenant attests on another VM of the same host: the abuser gets the error the spec and KVM
 * give, and every one of the honest tenant's reports still verifies.
 */
class HostileGuestTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Abuse.class)
    void abuseGetsItsErrorAndTheHonestTenantIsUnaffected(Abuse abuse) {
        try (TestHost host = new TestHost(dir, 31, HostAbiProfile.COCO, "off")) {
            Vm.Launched honest = host.launch(VmConfig.snp("honest", 2));
            Vm.Launched evil = host.launch(VmConfig.snp("evil", 2).withSnp(abuse != Abuse.NON_SNP_VM));
            RelyingParty rp = new RelyingParty(TestHost.ark());
            TenantConfig tenant = new TenantConfig("honest", 1, 2, new WorkloadSpec.Closed(1, Duration.ofMillis(100), 8),
                    RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.VCEK, 0, 2);
            ActorRef<Driver.Command> d = host.sim.spawn(Driver.create("honest", honest, DriverConfig.linuxDefaults()),
                    "honest-driver");
            ActorRef<Workload.Command> w = host.sim.spawn(Workload.create("honest", tenant, d, rp), "honest-wl");
            byte[] honestKey = honest.memory().guestRead(honest.secretsPageGpa() + 0x20, 32);
            ActorRef<HostileGuest.Command> h = host.sim.spawn(HostileGuest.create("evil", evil, honestKey), "evil");
            SimProbe<HostileGuest.Result> results = host.sim.probe("results");

            host.sim.tell(w, Workload.Start.INSTANCE);
            host.sim.tell(h, new HostileGuest.Commit(abuse, results.ref()));
            host.sim.tell(h, new HostileGuest.Commit(abuse, results.ref()));
            HostileGuest.Result first = results.expectMessageClass(HostileGuest.Result.class, Duration.ofMinutes(1));
            HostileGuest.Result second = results.expectMessageClass(HostileGuest.Result.class, Duration.ofMinutes(1));
            host.sim.runFor(Duration.ofSeconds(30));

            expectError(abuse, first);
            expectError(abuse, second);
            var m = host.sim.metrics();
            assertThat(m.counter("guest/honest/verified").get()).as("honest reports verified").isEqualTo(8);
            assertThat(m.counter("guest/honest/requests").get() - m.counter("guest/honest/enospc").get()).isEqualTo(8);
            assertThat(honest.memory().guestRead(honest.secretsPageGpa() + 0x20, 32)).as("honest vmpck intact")
                    .isEqualTo(honestKey);
        }
    }

    private static void expectError(Abuse abuse, HostileGuest.Result r) {
        assertThat(r.resumed()).as("%s: %s", abuse, r.detail()).isTrue();
        ExitInfo2 e = r.exitInfo();
        switch (abuse) {
            case REPLAYED_SEQNO, STALE_SEQNO, TAMPERED_CIPHERTEXT, FOREIGN_VMPCK, WIPED_VMPCK -> {
                assertThat(e.vmmErrorKind()).as("%s: %s", abuse, e).isEqualTo(VmmError.NONE);
                assertThat(e.firmwareStatus()).as("%s: %s", abuse, e).isEqualTo(FirmwareStatus.INVALID_PARAM);
            }
            case UNALIGNED_CERT_BUFFER, OUT_OF_RANGE_CERT_BUFFER, PRIVATE_CERT_BUFFER, ABSURD_PAGE_COUNT, NON_SNP_VM ->
                    assertThat(e.vmmErrorKind()).as("%s: %s", abuse, e).isEqualTo(VmmError.GENERIC);
            case PRIVILEGED_VMPL -> {
                assertThat(e.isSuccess()).as("%s: %s", abuse, e).isTrue();
                assertThat(r.responseStatus()).as(r.detail()).isEqualTo(ResponseStatus.INVALID_PARAMETERS.code());
            }
            default -> throw new AssertionError("no expectation for " + abuse);
        }
    }
}
