package dev.snpsim.guest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.guest.TestHost;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.sim.metrics.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A boot storm through the {@link GuestStarter} hook: guests launched through the PSP while
 * another tenant attests at a steady rate; each launched guest starts attesting at once.
 */
class BootStormTest {
    @TempDir
    Path dir;

    @Test
    void guestsLaunchedDuringLoadStartAttesting() {
        try (TestHost host = new TestHost(dir, 51, HostAbiProfile.COCO, "off")) {
            RelyingParty rp = new RelyingParty(TestHost.ark());
            TenantConfig steady = new TenantConfig("steady", 2, 1, new WorkloadSpec.Open(8, 0),
                    RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            TenantConfig storm = new TenantConfig("storm", 6, 1, new WorkloadSpec.Closed(1, Duration.ofMillis(500), 4),
                    RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            List<Long> launchedAt = new ArrayList<>();
            ActorRef<Vm.Launched> runner = host.sim.spawn(Behaviors.<Vm.Launched>setup(ctx ->
                    Behaviors.receiveMessage(l -> {
                        assertThat(l.status()).isEqualTo(FirmwareStatus.SUCCESS);
                        TenantConfig t = l.vmId().startsWith("storm") ? storm : steady;
                        launchedAt.add(host.sim.nowNanos());
                        GuestStarter.start(ctx, l.vmId(), t, l, DriverConfig.linuxDefaults(), rp);
                        return Behaviors.same();
                    })), "runner");
            for (int g = 0; g < steady.guests(); g++) {
                host.sim.tell(host.sim.spawn(Vm.create(VmConfig.snp("steady-" + g, 1), host.kvm), "steady-vm-" + g),
                        new Vm.Launch(runner));
            }
            host.sim.runFor(Duration.ofSeconds(5));
            long before = launchedAt.size();
            for (int g = 0; g < storm.guests(); g++) {
                host.sim.tell(host.sim.spawn(Vm.create(VmConfig.snp("storm-" + g, 1), host.kvm), "storm-vm-" + g),
                        new Vm.Launch(runner));
            }
            host.sim.runFor(Duration.ofSeconds(30));
            Metrics m = host.sim.metrics();
            assertThat(before).isEqualTo(2);
            assertThat(launchedAt).hasSize(8);
            assertThat(m.counter("guest/storm/verified").get()).isEqualTo(6L * 4);
            assertThat(m.counter("guest/steady/verified").get()).isGreaterThan(2L * 8 * 28);
            assertThat(m.counter("guest/steady/stale-certificate").get() + m.counter("guest/steady/rejected").get())
                    .isZero();
        }
    }
}
