package dev.snpsim.guest;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.host.certstore.CertBlobFile;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.certstore.OfdLockTable;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.KvmSetup;
import dev.snpsim.host.kvm.SevGate;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.host.kvm.VmmConfig;
import dev.snpsim.host.ratelimit.RateLimiterPreset;
import dev.snpsim.psp.Psp;
import dev.snpsim.psp.PspConfig;
import dev.snpsim.psp.firmware.FirmwareConfig;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A whole simulated host for end-to-end guest tests: the real PSP actor (Milan, one chip), the
 * certificate blob (ARK, ASK, the chip's VCEK at the current TCB) in a temporary directory, the
 * certificate store, the kernel gate with a rate limiter preset, and VMs launched through the PSP.
 */
public final class TestHost implements AutoCloseable {
    /** One hierarchy per test JVM: RSA-4096 roots take seconds. */
    public static final KeyHierarchy KEYS = KeyHierarchy.create(42_2026L);
    public static final Product PRODUCT = Product.MILAN;
    public static final TcbVersion TCB = TcbVersion.of(PRODUCT, 0, 3, 0, 8, 115);
    public static final long CHIP_SEED = 5;

    public final Simulation<Void> sim;
    public final ActorRef<Psp.Command> psp;
    public final ActorRef<CertStore.Command> certStore;
    public final SevGate gate;
    public final KvmSetup kvm;
    public final CertBlobFile blob;
    private int vms;

    public TestHost(Path dir, long seed, HostAbiProfile profile, String limiter) {
        sim = Simulation.create(Behaviors.empty(), "host", SimConfig.virtual(seed));
        psp = sim.spawn(Psp.create(PspConfig.defaults(PRODUCT, KEYS, CHIP_SEED, TCB)), "psp");
        blob = new CertBlobFile(dir.resolve("certs.blob"));
        blob.writeAtomically(table());
        certStore = sim.spawn(CertStore.create(blob, new OfdLockTable()), "certstore");
        gate = new SevGate(psp, RateLimiterPreset.parse(limiter));
        kvm = new KvmSetup(profile, gate, certStore, VmmConfig.DEFAULT);
    }

    public static X509Certificate ark() {
        return KEYS.arkCertificate(PRODUCT);
    }

    /** ARK, ASK and this chip's VCEK at {@link #TCB}, as the host's blob holds them. */
    public static CertTable table() {
        byte[] chip = FirmwareConfig.chipIdOf(PRODUCT, CHIP_SEED);
        return CertTable.of(
                new CertEntry(CertGuid.ARK, CertificateFiles.toDer(KEYS.arkCertificate(PRODUCT))),
                new CertEntry(CertGuid.ASK, CertificateFiles.toDer(KEYS.askCertificate(PRODUCT))),
                new CertEntry(CertGuid.VCEK, CertificateFiles.toDer(KEYS.vcek(PRODUCT, chip, TCB).certificate())));
    }

    /** Creates and launches a VM through the PSP; fails the test if the launch fails. */
    public Vm.Launched launch(VmConfig config) {
        ActorRef<Vm.Command> vm = sim.spawn(Vm.create(config, kvm), "vm-" + (++vms));
        SimProbe<Vm.Launched> probe = sim.probe("launched-" + vms);
        sim.tell(vm, new Vm.Launch(probe.ref()));
        Vm.Launched l = probe.expectMessageClass(Vm.Launched.class, Duration.ofMinutes(10));
        if (l.status() != dev.snpsim.abi.ghcb.FirmwareStatus.SUCCESS) {
            throw new AssertionError("launch of " + config.vmId() + " failed: " + l.status());
        }
        return l;
    }

    @Override
    public void close() {
        sim.close();
    }
}
