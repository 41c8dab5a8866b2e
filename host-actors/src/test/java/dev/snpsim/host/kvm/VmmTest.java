package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.KvmExitCoco;
import dev.snpsim.abi.ghcb.KvmExitSnpReqCerts;
import dev.snpsim.abi.ghcb.KvmUserVmgexit;
import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.host.certstore.CertBlobFile;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.certstore.LockMode;
import dev.snpsim.host.certstore.OfdLockTable;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VMM's certificate path against a real certificate store, with a probe as the vCPU. */
class VmmTest {
    private static final long BUF = 0x10000;
    private static final Duration SHORT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Simulation<Void> sim;
    private CertBlobFile blob;
    private ActorRef<CertStore.Command> store;
    private GuestMemory memory;
    private SimProbe<Vcpu.Command> vcpu;
    private SimProbe<CertStore.Opened> opened;
    private SimProbe<CertStore.LockReply> locks;
    private int vmms;

    @BeforeEach
    void start() {
        sim = Simulation.create(Behaviors.empty(), "vmm", SimConfig.virtual(3));
        blob = new CertBlobFile(dir.resolve("certs.blob"));
        blob.writeAtomically(SmallCerts.table(1));
        store = sim.spawn(CertStore.create(blob, new OfdLockTable()), "certstore");
        memory = new GuestMemory(1 << 20);
        memory.setShared(BUF, 4, true);
        vcpu = sim.probe("vcpu");
        opened = sim.probe("opened");
        locks = sim.probe("locks");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private ActorRef<Vmm.Command> vmm(VmmConfig config) {
        return sim.spawn(Vmm.create("vm-t", memory, store, config), "vmm-" + (++vmms));
    }

    private Vcpu.UserspaceReturn exit(ActorRef<Vmm.Command> vmm, HostAbiProfile p, long gpa, long npages) {
        sim.tell(vmm, new Vmm.CertificateExit(0, p, CertExitAbi.exitFor(p, gpa, npages), vcpu.ref()));
        return (Vcpu.UserspaceReturn) vcpu.expectMessageClass(Vcpu.UserspaceReturn.class);
    }

    /** Another description (the management tool) tries the exclusive lock without waiting. */
    private CertStore.LockStatus tryExclusive() {
        sim.tell(store, new CertStore.Open(opened.ref()));
        long desc = opened.expectMessageClass(CertStore.Opened.class).desc();
        sim.tell(store, CertStore.Lock.nonBlocking(desc, LockMode.EXCLUSIVE, locks.ref()));
        CertStore.LockStatus s = locks.expectMessageClass(CertStore.LockReply.class).status();
        sim.tell(store, new CertStore.Close(desc));
        return s;
    }

    private long holdExclusive() {
        sim.tell(store, new CertStore.Open(opened.ref()));
        long desc = opened.expectMessageClass(CertStore.Opened.class).desc();
        sim.tell(store, CertStore.Lock.nonBlocking(desc, LockMode.EXCLUSIVE, locks.ref()));
        assertThat(locks.expectMessageClass(CertStore.LockReply.class).status()).isEqualTo(CertStore.LockStatus.GRANTED);
        return desc;
    }

    @Test
    void writesTheBlobAnswersZeroWithImmediateExitAndHoldsTheLockUntilEintr() {
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        Vcpu.UserspaceReturn r = exit(vmm, HostAbiProfile.COCO, BUF, 4);
        assertThat(r.immediateExit()).isTrue();
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isZero();
        byte[] expected = SmallCerts.table(1).encode();
        assertThat(memory.guestRead(BUF, expected.length)).isEqualTo(expected);
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.DENIED);
        sim.tell(vmm, new Vmm.RunReturned(0, Errno.EINTR));
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
    }

    @Test
    void eachVcpusExitHasItsOwnDescriptionSoOneEintrDoesNotDropTheOthersLock() {
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        for (int i = 0; i < 2; i++) {
            sim.tell(vmm, new Vmm.CertificateExit(i, HostAbiProfile.COCO,
                    CertExitAbi.exitFor(HostAbiProfile.COCO, BUF, 4), vcpu.ref()));
        }
        vcpu.receiveMessages(2, SHORT);
        sim.tell(vmm, new Vmm.RunReturned(0, Errno.EINTR));
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.DENIED);
        sim.tell(vmm, new Vmm.RunReturned(1, Errno.EINTR));
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
    }

    @Test
    void answersAreCountedByKindAndAnAnswerNeverGivenHasNoCounter() {
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        exit(vmm, HostAbiProfile.COCO, BUF, 4);
        sim.tell(vmm, new Vmm.RunReturned(0, Errno.EINTR));
        exit(vmm, HostAbiProfile.COCO, BUF, 4);
        sim.tell(vmm, new Vmm.RunReturned(0, Errno.EINTR));
        exit(vmm, HostAbiProfile.SNP_REQ_CERTS, BUF, 0);
        var counters = sim.metrics().counters();
        assertThat(counters.get("vmm.answer.ok").get()).isEqualTo(2);
        assertThat(counters.get("vmm.answer.no_space").get()).isEqualTo(1);
        assertThat(counters).doesNotContainKeys("vmm.answer.again", "vmm.answer.io_error");
    }

    @Test
    void tooFewPagesIsEnospcWithThePagesNeededAndReleasesTheLock() {
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        Vcpu.UserspaceReturn r = exit(vmm, HostAbiProfile.SNP_REQ_CERTS, BUF, 0);
        KvmExitSnpReqCerts s = KvmExitSnpReqCerts.decode(r.exit(), 0);
        assertThat(s.ret()).isEqualTo(Errno.ENOSPC);
        assertThat(s.npages()).isEqualTo(1);
        assertThat(r.immediateExit()).isFalse();
        assertThat(memory.guestRead(BUF, 24)).containsOnly(0);
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
    }

    @Test
    void nonBlockingLockHeldExclusivelyIsEagainAtOnce() {
        long mgmt = holdExclusive();
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT.withLockWait(Duration.ZERO));
        long t0 = sim.nowNanos();
        Vcpu.UserspaceReturn r = exit(vmm, HostAbiProfile.COCO, BUF, 4);
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isEqualTo(Errno.EAGAIN);
        assertThat(vcpu.lastArrivalNanos()).isEqualTo(t0);
        sim.tell(store, new CertStore.Close(mgmt));
    }

    @Test
    void timedLockGivesUpAfterTheTimeoutWithEagain() {
        holdExclusive();
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        long t0 = sim.nowNanos();
        Vcpu.UserspaceReturn r = exit(vmm, HostAbiProfile.V15_VMGEXIT, BUF, 4);
        assertThat(KvmUserVmgexit.decode(r.exit(), 0).ret()).isEqualTo(KvmUserVmgexit.RET_BUSY);
        assertThat(vcpu.lastArrivalNanos() - t0).isEqualTo(100_000_000L);
    }

    @Test
    void timedLockGrantedWhenTheWriterFinishesInTime() {
        long mgmt = holdExclusive();
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        sim.tell(vmm, new Vmm.CertificateExit(0, HostAbiProfile.COCO,
                CertExitAbi.exitFor(HostAbiProfile.COCO, BUF, 4), vcpu.ref()));
        vcpu.expectNoMessage(Duration.ofMillis(50));
        sim.tell(store, new CertStore.Close(mgmt));
        Vcpu.UserspaceReturn r = (Vcpu.UserspaceReturn) vcpu.expectMessageClass(Vcpu.UserspaceReturn.class);
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isZero();
    }

    @Test
    void corruptBlobIsEioAndAfterRepairTheGuestIsServed() throws IOException {
        Files.write(blob.path(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25});
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        Vcpu.UserspaceReturn r = exit(vmm, HostAbiProfile.COCO, BUF, 4);
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isEqualTo(Errno.EIO);
        assertThat(r.immediateExit()).isFalse();
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
        blob.writeAtomically(SmallCerts.table(2));
        r = exit(vmm, HostAbiProfile.COCO, BUF, 4);
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isZero();
        assertThat(memory.guestRead(BUF, 24 * 4)).isEqualTo(java.util.Arrays.copyOf(SmallCerts.table(2).encode(), 96));
    }

    @Test
    void missingBlobIsEio() throws IOException {
        Files.delete(blob.path());
        Vcpu.UserspaceReturn r = exit(vmm(VmmConfig.DEFAULT), HostAbiProfile.SNP_REQ_CERTS, BUF, 4);
        assertThat(KvmExitSnpReqCerts.decode(r.exit(), 0).ret()).isEqualTo(Errno.EIO);
    }

    @Test
    void privateGuestBufferIsEioAndNothingIsWritten() {
        Vcpu.UserspaceReturn r = exit(vmm(VmmConfig.DEFAULT), HostAbiProfile.COCO, 0x40000, 4);
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isEqualTo(Errno.EIO);
        assertThat(memory.guestRead(0x40000, 4096)).containsOnly(0);
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
    }

    @Test
    void withLockingOffAnExclusiveHolderDoesNotStopTheVmm() {
        holdExclusive();
        Vcpu.UserspaceReturn r = exit(vmm(VmmConfig.DEFAULT.withLocking(false)), HostAbiProfile.COCO, BUF, 4);
        assertThat(KvmExitCoco.decode(r.exit(), 0).ret()).isZero();
    }

    @Test
    void v15AsksForTheDoneExitAndUnlocksOnIt() {
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        Vcpu.UserspaceReturn r = exit(vmm, HostAbiProfile.V15_VMGEXIT, BUF, 4);
        KvmUserVmgexit v = KvmUserVmgexit.decode(r.exit(), 0);
        assertThat(v.ret()).isZero();
        assertThat(v.notifyDone()).isTrue();
        assertThat(r.immediateExit()).isFalse();
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.DENIED);
        sim.tell(vmm, new Vmm.RunReturned(0, 0));
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
    }

    @Test
    void aStoppedVmmReleasesItsLocks() {
        java.util.concurrent.atomic.AtomicReference<ActorRef<Vmm.Command>> child =
                new java.util.concurrent.atomic.AtomicReference<>();
        ActorRef<String> parent = sim.spawn(Behaviors.<String>setup(ctx -> {
            child.set(ctx.spawn(Vmm.create("vm-t", memory, store, VmmConfig.DEFAULT), "vmm"));
            return Behaviors.receiveMessage(msg -> {
                ctx.stop(child.get());
                return Behaviors.same();
            });
        }), "vmm-parent");
        sim.runFor(Duration.ZERO);
        exit(child.get(), HostAbiProfile.COCO, BUF, 4);
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.DENIED);
        sim.tell(parent, "stop");
        sim.runFor(SHORT);
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
    }

    @Test
    void manyVcpusInAnyOrderEachHoldTheirOwnLockUntilTheirOwnReturn() {
        ActorRef<Vmm.Command> vmm = vmm(VmmConfig.DEFAULT);
        int[] order = {8, 0, 5, 1, 2, 7, 3, 6, 4};
        for (int i : order) {
            sim.tell(vmm, new Vmm.CertificateExit(i, HostAbiProfile.COCO,
                    CertExitAbi.exitFor(HostAbiProfile.COCO, BUF, 4), vcpu.ref()));
        }
        vcpu.receiveMessages(order.length, SHORT);
        // vCPU 5 exits again before its KVM_RUN returned: its first description is closed, the new one held
        sim.tell(vmm, new Vmm.CertificateExit(5, HostAbiProfile.COCO,
                CertExitAbi.exitFor(HostAbiProfile.COCO, BUF, 4), vcpu.ref()));
        vcpu.expectMessageClass(Vcpu.UserspaceReturn.class);
        sim.tell(vmm, new Vmm.RunReturned(42, Errno.EINTR));     // no such vCPU: nothing to release
        for (int i : new int[] {0, 1, 2, 3, 4, 6, 7, 8}) {
            sim.tell(vmm, new Vmm.RunReturned(i, Errno.EINTR));
            assertThat(tryExclusive()).as("after vcpu %d returned", i).isEqualTo(CertStore.LockStatus.DENIED);
        }
        sim.tell(vmm, new Vmm.RunReturned(5, Errno.EINTR));
        assertThat(tryExclusive()).isEqualTo(CertStore.LockStatus.GRANTED);
        assertThat(sim.metrics().counters().get("vmm.answer.ok").get()).isEqualTo(order.length + 1);
    }
}
