package dev.snpsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.host.certstore.CertBlobFile;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.certstore.LockMode;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.host.mgmt.CrashHook;
import dev.snpsim.host.mgmt.CrashPoint;
import dev.snpsim.host.mgmt.Mgmt;
import dev.snpsim.sim.SimProbe;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management tool crashing in the middle of a VLEK rotation: its lock is released, the
 * blob is the old one or the new one (never torn), and once the restarted tool has recovered
 * it matches the key the firmware signs with, so guests' reports verify.
 */
class MgmtCrashTest {
    @TempDir
    Path dir;

    private static byte[] vlekCert(int generation) throws CertificateEncodingException {
        return HostHarness.KEYS.vlek(HostHarness.P, "csp-a", generation, HostHarness.TCB).certificate().getEncoded();
    }

    private static byte[] servedVlek(HostHarness h) {
        return new CertBlobFile(h.config.blobPath()).read().find(CertGuid.VLEK).orElseThrow();
    }

    private static CertStore.LockStatus tryExclusive(HostHarness h) {
        SimProbe<CertStore.Opened> opened = h.sim.probe("opened-" + h.sim.nowNanos());
        h.sim.tell(h.parts.certStore(), new CertStore.Open(opened.ref()));
        long desc = opened.expectMessageClass(CertStore.Opened.class).desc();
        SimProbe<CertStore.LockReply> lock = h.sim.probe("lock-" + desc);
        h.sim.tell(h.parts.certStore(), CertStore.Lock.nonBlocking(desc, LockMode.EXCLUSIVE, lock.ref()));
        CertStore.LockStatus s = lock.expectMessageClass(CertStore.LockReply.class).status();
        h.sim.tell(h.parts.certStore(), new CertStore.Close(desc));
        return s;
    }

    private static void assertGuestVerifies(HostHarness h, String vmId) {
        Vm.Launched vm = h.launch(VmConfig.snp(vmId, 1));
        int before = h.outcomes.size();
        h.guest(vm, 1, 8, Duration.ofMillis(1));
        h.sim.runUntil(() -> h.outcomes.size() == before + 1, Duration.ofMinutes(1));
        assertThat(HostHarness.verify(h.outcomes.get(before)).ok()).isTrue();
    }

    @Test
    void crashAfterTheFirmwareStepReleasesTheLockAndRecoveryServesTheNewVlek() throws Exception {
        CrashHook hook = CrashHook.none();
        try (HostHarness h = new HostHarness(dir, 5, c -> c.withInitialVlek("csp-a").withCrash(hook))) {
            assertThat(servedVlek(h)).isEqualTo(vlekCert(1));
            hook.arm(CrashPoint.AFTER_FIRMWARE);
            SimProbe<Mgmt.Done> done = h.sim.probe("rotation");
            h.sim.tell(h.parts.mgmt(), new Mgmt.RotateVlek("csp-a", 2, HostHarness.TCB.raw(), done.ref()));
            done.expectNoMessage(Duration.ofSeconds(5)); // the crashed operation never answers
            assertThat(hook.fired()).isEqualTo(1);
            assertThat(tryExclusive(h)).isEqualTo(CertStore.LockStatus.GRANTED);
            assertThat(servedVlek(h)).isEqualTo(vlekCert(2)); // the restarted tool finished the rewrite
            assertGuestVerifies(h, "vm-a");
        }
    }

    @Test
    void crashBeforeTheFirmwareStepLeavesOldBlobAndOldKeyInStep() throws Exception {
        CrashHook hook = CrashHook.none();
        try (HostHarness h = new HostHarness(dir, 6, c -> c.withInitialVlek("csp-a").withCrash(hook))) {
            hook.arm(CrashPoint.AFTER_LOCK);
            SimProbe<Mgmt.Done> done = h.sim.probe("rotation");
            h.sim.tell(h.parts.mgmt(), new Mgmt.RotateVlek("csp-a", 2, HostHarness.TCB.raw(), done.ref()));
            done.expectNoMessage(Duration.ofSeconds(5));
            assertThat(tryExclusive(h)).isEqualTo(CertStore.LockStatus.GRANTED);
            assertThat(servedVlek(h)).isEqualTo(vlekCert(1));
            assertGuestVerifies(h, "vm-a");
            // the tool still works after its restart
            h.sim.tell(h.parts.mgmt(), new Mgmt.RotateVlek("csp-a", 2, HostHarness.TCB.raw(), done.ref()));
            assertThat(done.expectMessageClass(Mgmt.Done.class).result()).isEqualTo(Mgmt.Result.DONE);
            assertThat(servedVlek(h)).isEqualTo(vlekCert(2));
            assertGuestVerifies(h, "vm-b");
        }
    }

    @Test
    void crashAfterTheBlobRewriteStillReleasesTheLock() throws Exception {
        CrashHook hook = CrashHook.none();
        try (HostHarness h = new HostHarness(dir, 7, c -> c.withInitialVlek("csp-a").withCrash(hook))) {
            hook.arm(CrashPoint.AFTER_BLOB);
            SimProbe<Mgmt.Done> done = h.sim.probe("rotation");
            h.sim.tell(h.parts.mgmt(), new Mgmt.RotateVlek("csp-a", 2, HostHarness.TCB.raw(), done.ref()));
            done.expectNoMessage(Duration.ofSeconds(5));
            assertThat(tryExclusive(h)).isEqualTo(CertStore.LockStatus.GRANTED);
            assertThat(servedVlek(h)).isEqualTo(vlekCert(2));
            assertGuestVerifies(h, "vm-a");
        }
    }
}
