package dev.snpsim.guest.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.guest.TestHost;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.driver.DriverError;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.workload.RequestMix;
import dev.snpsim.guest.workload.TenantConfig;
import dev.snpsim.guest.workload.Workload;
import dev.snpsim.guest.workload.WorkloadSpec;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.metrics.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest flooding the PSP from 4 vCPUs (ignoring BUSY) next to an honest tenant: a per-VM
 * limiter confines the BUSY answers to the flooder, a global one passes them to the honest
 * tenant too.
 */
class FlooderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"per-vm-1000-1, false", "global-20hz-1, true"})
    void floodingCostsTheHonestTenantOnlyUnderAGlobalLimit(String limiter, boolean honestSeesBusy) {
        try (TestHost host = new TestHost(dir, 41, HostAbiProfile.COCO, limiter)) {
            Vm.Launched honest = host.launch(VmConfig.snp("honest", 1));
            Vm.Launched evil = host.launch(VmConfig.snp("evil", 4));
            TenantConfig t = new TenantConfig("honest", 1, 1, new WorkloadSpec.Closed(1, Duration.ofSeconds(1), 10),
                    RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            ActorRef<Driver.Command> d = host.sim.spawn(Driver.create("honest", honest, DriverConfig.linuxDefaults()),
                    "honest-driver");
            ActorRef<Workload.Command> w = host.sim.spawn(Workload.create("honest", t, d,
                    new RelyingParty(TestHost.ark())), "honest-wl");
            ActorRef<Flooder.Command> f = host.sim.spawn(Flooder.create("evil", evil, true, Duration.ofSeconds(2),
                    Duration.ofMillis(5)),
                    "evil");
            host.sim.tell(f, Flooder.Start.INSTANCE);
            host.sim.tell(w, Workload.Start.INSTANCE);
            host.sim.runFor(Duration.ofSeconds(15));
            host.sim.tell(f, Flooder.Stop.INSTANCE);
            host.sim.runFor(Duration.ofMinutes(5));

            Metrics m = host.sim.metrics();
            assertThat(m.counter("hostile/evil/sent").get()).isGreaterThan(5_000);
            assertThat(m.counter("hostile/evil/busy").get()).isGreaterThan(0);
            assertThat(m.counter("guest/honest/verified").get()).isEqualTo(10);
            assertThat(m.counter("guest/honest/vmpck-wiped").get()).isZero();
            long busy = m.counter("guest/honest/busy-retries").get();
            if (honestSeesBusy) {
                assertThat(busy).as("a global limit throttles everyone").isGreaterThan(0);
            } else {
                assertThat(busy).as("a per-vm limit throttles only the flooder").isZero();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aLongFloodUnderAGlobalLimitBricksTheHonestGuestsAttestation() {
        try (TestHost host = new TestHost(dir, 43, HostAbiProfile.COCO, "global-1hz-1")) {
            Vm.Launched honest = host.launch(VmConfig.snp("honest", 1));
            Vm.Launched evil = host.launch(VmConfig.snp("evil", 4));
            TenantConfig t = new TenantConfig("honest", 1, 1, new WorkloadSpec.Closed(1, Duration.ofSeconds(1), 10),
                    RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            ActorRef<Driver.Command> d = host.sim.spawn(Driver.create("honest", honest, DriverConfig.linuxDefaults()),
                    "honest-driver");
            ActorRef<Workload.Command> w = host.sim.spawn(Workload.create("honest", t, d,
                    new RelyingParty(TestHost.ark())), "honest-wl");
            ActorRef<Flooder.Command> f = host.sim.spawn(Flooder.create("evil", evil, true, Duration.ofSeconds(2),
                    Duration.ofMillis(5)), "evil");
            host.sim.tell(f, Flooder.Start.INSTANCE);
            host.sim.runFor(Duration.ofSeconds(1));
            host.sim.tell(w, Workload.Start.INSTANCE);
            host.sim.runFor(Duration.ofSeconds(90));
            host.sim.tell(f, Flooder.Stop.INSTANCE);
            host.sim.runFor(Duration.ofMinutes(1));

            Metrics m = host.sim.metrics();
            assertThat(m.counter("guest/honest/timeouts").get()).as("busy for 60 s: etimedout").isEqualTo(1);
            assertThat(m.counter("guest/honest/vmpck-wiped").get()).isEqualTo(1);
            assertThat(honest.memory().guestRead(honest.secretsPageGpa() + 0x20, 32)).containsOnly(0);
            SimProbe<Driver.ReportReply> after = host.sim.probe("after");
            host.sim.tell(d, new Driver.GetReport(new byte[64], 0, 1, after.ref()));
            assertThat(((Driver.Failed) after.expectMessageClass(Driver.Failed.class)).error())
                    .as("bricked until relaunch, flood or not").isEqualTo(DriverError.ENOTTY);
        }
    }
}
