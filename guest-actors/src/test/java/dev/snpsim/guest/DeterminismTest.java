package dev.snpsim.guest;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guests attesting through a throttled host give the same trace, byte for byte, for the same seed. */
class DeterminismTest {
    @TempDir
    Path dir;

    private String run(long seed, Path where) {
        try (TestHost host = new TestHost(where, seed, HostAbiProfile.COCO, "per-vm-2000-2")) {
            TenantConfig t = new TenantConfig("d", 2, 2, new WorkloadSpec.Open(3, 15), new RequestMix(1, 1, 1),
                    TenantConfig.SigningKeyPreference.VCEK, 0, 1);
            RelyingParty rp = new RelyingParty(TestHost.ark());
            for (int g = 0; g < 2; g++) {
                Vm.Launched l = host.launch(VmConfig.snp("d-" + g, 2));
                ActorRef<Driver.Command> d = host.sim.spawn(Driver.create(l.vmId(), l, DriverConfig.linuxDefaults()),
                        l.vmId() + "-driver");
                ActorRef<Workload.Command> w = host.sim.spawn(Workload.create(l.vmId(), t, d, rp), l.vmId() + "-wl");
                host.sim.tell(w, Workload.Start.INSTANCE);
            }
            host.sim.runFor(Duration.ofMinutes(2));
            assertThat(host.sim.metrics().counter("guest/d/verified").get()).isGreaterThan(0);
            return host.sim.trace().digestHex();
        }
    }

    @Test
    void sameSeedSameDigest() throws Exception {
        String a = run(99, java.nio.file.Files.createDirectory(dir.resolve("a")));
        String b = run(99, java.nio.file.Files.createDirectory(dir.resolve("b")));
        String c = run(100, java.nio.file.Files.createDirectory(dir.resolve("c")));
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }
}
