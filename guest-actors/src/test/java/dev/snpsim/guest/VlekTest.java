package dev.snpsim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.keys.VlekHashstick;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.workload.RequestMix;
import dev.snpsim.guest.workload.TenantConfig;
import dev.snpsim.guest.workload.TenantConfig.SigningKeyPreference;
import dev.snpsim.guest.workload.Workload;
import dev.snpsim.guest.workload.WorkloadSpec;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.SimProbe;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host with a VLEK loaded and a blob holding ARK, ASVK and VLEK (as a cloud provider's would):
 * a tenant preferring the VLEK gets verified reports; a tenant insisting on the VCEK gets reports
 * its certificates cannot match, which the relying party counts as stale certificates.
 */
class VlekTest {
    @TempDir
    Path dir;

    @Test
    void keyPreferenceDecidesWhetherTheHostsCertificatesMatch() {
        try (TestHost host = new TestHost(dir, 61, HostAbiProfile.COCO, "off")) {
            Vlek vlek = TestHost.KEYS.vlek(TestHost.PRODUCT, "acme-cloud", 1, TestHost.TCB);
            SimProbe<Psp.PlatformReply> platform = host.sim.probe("platform");
            host.sim.tell(host.psp, new Psp.VlekLoad(VlekHashstick.wrap(TestHost.KEYS.amdWrappingKey(), vlek),
                    platform.ref()));
            assertThat(platform.expectMessageClass(Psp.PlatformReply.class).status()).isEqualTo(FirmwareStatus.SUCCESS);
            host.blob.writeAtomically(CertTable.of(
                    new CertEntry(CertGuid.ARK, CertificateFiles.toDer(TestHost.ark())),
                    new CertEntry(CertGuid.ASK, CertificateFiles.toDer(TestHost.KEYS.asvkCertificate(TestHost.PRODUCT))),
                    new CertEntry(CertGuid.VLEK, CertificateFiles.toDer(vlek.certificate()))));
            RelyingParty rp = new RelyingParty(TestHost.ark());
            start(host, "vlek", SigningKeyPreference.VLEK, rp);
            start(host, "vcek", SigningKeyPreference.VCEK, rp);
            start(host, "dflt", SigningKeyPreference.DEFAULT, rp);
            host.sim.runFor(Duration.ofSeconds(30));
            var m = host.sim.metrics();
            assertThat(m.counter("guest/vlek/verified").get()).isEqualTo(5);
            assertThat(m.counter("guest/dflt/verified").get()).as("default: the vlek when loaded").isEqualTo(5);
            assertThat(m.counter("guest/vcek/verified").get()).isZero();
            assertThat(m.counter("guest/vcek/stale-certificate").get()).isEqualTo(5);
        }
    }

    private static void start(TestHost host, String name, SigningKeyPreference key, RelyingParty rp) {
        TenantConfig t = new TenantConfig(name, 1, 1, new WorkloadSpec.Closed(1, Duration.ofMillis(200), 5),
                RequestMix.extendedOnly(), key, 0, 4);
        Vm.Launched l = host.launch(VmConfig.snp(name, 1));
        ActorRef<Driver.Command> d = host.sim.spawn(Driver.create(name, l, DriverConfig.linuxDefaults()), name + "-d");
        ActorRef<Workload.Command> w = host.sim.spawn(Workload.create(name, t, d, rp), name + "-w");
        host.sim.tell(w, Workload.Start.INSTANCE);
    }
}
