package dev.snpsim.host.certstore;

import static dev.snpsim.host.certstore.LockMode.EXCLUSIVE;
import static dev.snpsim.host.certstore.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.host.certstore.CertStore.Close;
import dev.snpsim.host.certstore.CertStore.Lock;
import dev.snpsim.host.certstore.CertStore.LockReply;
import dev.snpsim.host.certstore.CertStore.LockStatus;
import dev.snpsim.host.certstore.CertStore.Open;
import dev.snpsim.host.certstore.CertStore.Opened;
import dev.snpsim.host.certstore.CertStore.Read;
import dev.snpsim.host.certstore.CertStore.ReadReply;
import dev.snpsim.host.certstore.CertStore.ReadStatus;
import dev.snpsim.host.certstore.CertStore.Unlock;
import dev.snpsim.host.certstore.CertStore.Write;
import dev.snpsim.host.certstore.CertStore.WriteReply;
import dev.snpsim.host.certstore.CertStore.WriteStatus;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The store through its protocol, in virtual time (one simulation, a fresh store per test). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertStoreTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private Simulation<Void> sim;
    private CertBlobFile blob;
    private ActorRef<CertStore.Command> store;
    private SimProbe<Opened> opened;
    private SimProbe<LockReply> lockReplies;

    private int testNo;

    @BeforeAll
    void startSimulation() {
        sim = Simulation.create(Behaviors.empty(), "certstore", SimConfig.virtual(1));
    }

    @AfterAll
    void stopSimulation() {
        sim.close();
    }

    @BeforeEach
    void start() {
        testNo++;
        blob = new CertBlobFile(dir.resolve("certs.blob"));
        blob.writeAtomically(TestCerts.vlekTable(1));
        store = sim.spawn(CertStore.create(blob, new OfdLockTable()), "certstore-" + testNo);
        opened = sim.probe("opened-" + testNo);
        lockReplies = sim.probe("locks-" + testNo);
    }

    private <M> SimProbe<M> probe(String name) {
        return sim.probe(name + "-" + testNo);
    }

    private long open() {
        sim.tell(store, new Open(opened.ref()));
        return opened.expectMessageClass(Opened.class).desc();
    }

    private long openOwnedBy(ActorRef<?> owner) {
        sim.tell(store, new Open(owner, opened.ref()));
        return opened.expectMessageClass(Opened.class).desc();
    }

    private LockStatus lock(Lock request) {
        sim.tell(store, request);
        LockReply r = lockReplies.expectMessageClass(LockReply.class);
        assertThat(r.desc()).isEqualTo(request.desc());
        return r.status();
    }

    @Test
    void timedSharedLockTimesOutAtExactly100ms() {
        long writer = open();
        long reader = open();
        assertThat(lock(Lock.nonBlocking(writer, EXCLUSIVE, lockReplies.ref()))).isEqualTo(LockStatus.GRANTED);
        long sent = sim.nowNanos();
        assertThat(lock(Lock.timed(reader, SHARED, Duration.ofMillis(100), lockReplies.ref())))
                .isEqualTo(LockStatus.TIMED_OUT);
        assertThat(lockReplies.lastArrivalNanos() - sent).isEqualTo(100 * MS);
    }

    @Test
    void exclusiveHolderMakesANonBlockingSharedRequestFail() {
        long writer = open();
        long reader = open();
        lock(Lock.nonBlocking(writer, EXCLUSIVE, lockReplies.ref()));
        long sent = sim.nowNanos();
        assertThat(lock(Lock.nonBlocking(reader, SHARED, lockReplies.ref()))).isEqualTo(LockStatus.DENIED);
        assertThat(lockReplies.lastArrivalNanos()).isEqualTo(sent);
    }

    @Test
    void sharedHoldersBlockAnExclusiveRequest() {
        long r1 = open();
        long r2 = open();
        long w = open();
        lock(Lock.nonBlocking(r1, SHARED, lockReplies.ref()));
        lock(Lock.nonBlocking(r2, SHARED, lockReplies.ref()));
        sim.tell(store, Lock.untimed(w, EXCLUSIVE, lockReplies.ref()));
        lockReplies.expectNoMessage(Duration.ofSeconds(10));
        sim.tell(store, new Unlock(r1));
        lockReplies.expectNoMessage(Duration.ofMillis(1));
        sim.tell(store, new Unlock(r2));
        assertThat(lockReplies.expectMessageClass(LockReply.class)).isEqualTo(new LockReply(w, EXCLUSIVE, LockStatus.GRANTED));
    }

    @Test
    void grantBeforeTheDeadlineCancelsTheTimeout() {
        long w = open();
        long r = open();
        lock(Lock.nonBlocking(w, EXCLUSIVE, lockReplies.ref()));
        sim.tell(store, Lock.timed(r, SHARED, Duration.ofMillis(100), lockReplies.ref()));
        sim.runFor(Duration.ofMillis(50));
        long unlockAt = sim.nowNanos();
        sim.tell(store, new Unlock(w));
        assertThat(lockReplies.expectMessageClass(LockReply.class).status()).isEqualTo(LockStatus.GRANTED);
        assertThat(lockReplies.lastArrivalNanos()).isEqualTo(unlockAt);
        lockReplies.expectNoMessage(Duration.ofSeconds(1));
    }

    @Test
    void stoppedOwnersLocksAreReleased() {
        ActorRef<String> vmm = sim.spawn(Behaviors.receive(String.class)
                .onMessageEquals("stop", Behaviors::stopped).build(), "vmm-" + testNo);
        long held = openOwnedBy(vmm);
        long waiting = openOwnedBy(vmm);
        long mgmt = open();
        lock(Lock.nonBlocking(held, SHARED, lockReplies.ref()));
        lock(Lock.nonBlocking(mgmt, SHARED, lockReplies.ref()));
        sim.tell(store, Lock.untimed(waiting, EXCLUSIVE, lockReplies.ref()));
        sim.tell(store, Lock.untimed(mgmt, EXCLUSIVE, lockReplies.ref()));
        lockReplies.expectNoMessage(Duration.ofSeconds(1));
        sim.tell(vmm, "stop");
        // closing the vmm's first description drops its shared lock, so mgmt's upgrade goes
        // through; closing the second answers the vmm's own waiting upgrade CLOSED
        assertThat(lockReplies.receiveMessages(2, Duration.ofSeconds(1))).containsExactly(
                new LockReply(mgmt, EXCLUSIVE, LockStatus.GRANTED),
                new LockReply(waiting, EXCLUSIVE, LockStatus.CLOSED));
        assertThat(lockReplies.receivedAt(lockReplies.count() - 1)).isEqualTo(sim.nowNanos());
        assertThat(lock(Lock.nonBlocking(held, SHARED, lockReplies.ref()))).isEqualTo(LockStatus.BAD_DESCRIPTOR);
    }

    @Test
    void anOwnerThatClosedEverythingAndOpensAgainIsStillClosedOutWhenItStops() {
        // the store keeps watching an owner with nothing open (a VMM opens one per request)
        ActorRef<String> vmm = sim.spawn(Behaviors.receive(String.class)
                .onMessageEquals("stop", Behaviors::stopped).build(), "vmm-" + testNo);
        for (int i = 0; i < 3; i++) {
            long d = openOwnedBy(vmm);
            lock(Lock.nonBlocking(d, SHARED, lockReplies.ref()));
            sim.tell(store, new Close(d));
        }
        long held = openOwnedBy(vmm);
        lock(Lock.nonBlocking(held, SHARED, lockReplies.ref()));
        long mgmt = open();
        assertThat(lock(Lock.nonBlocking(mgmt, EXCLUSIVE, lockReplies.ref()))).isEqualTo(LockStatus.DENIED);
        sim.tell(store, Lock.untimed(mgmt, EXCLUSIVE, lockReplies.ref()));
        sim.tell(vmm, "stop");
        assertThat(lockReplies.expectMessageClass(LockReply.class))
                .isEqualTo(new LockReply(mgmt, EXCLUSIVE, LockStatus.GRANTED));
        assertThat(lock(Lock.nonBlocking(held, SHARED, lockReplies.ref()))).isEqualTo(LockStatus.BAD_DESCRIPTOR);
    }

    @Test
    void anOwnerStoppingWithNothingOpenClosesNothing() {
        ActorRef<String> vmm = sim.spawn(Behaviors.receive(String.class)
                .onMessageEquals("stop", Behaviors::stopped).build(), "vmm-" + testNo);
        long d = openOwnedBy(vmm);
        sim.tell(store, new Close(d));
        long mgmt = open();
        lock(Lock.nonBlocking(mgmt, SHARED, lockReplies.ref()));
        sim.tell(vmm, "stop");
        sim.runFor(Duration.ofMillis(1));
        lockReplies.expectNoMessage(Duration.ofSeconds(1));
        assertThat(lock(Lock.nonBlocking(mgmt, EXCLUSIVE, lockReplies.ref()))).as("mgmt's description still open")
                .isEqualTo(LockStatus.GRANTED);
    }

    @Test
    void ownerReplyingThroughAMessageAdapterIsWatchedToo() {
        // the one-argument Open watches the reply ref; an adapter stops with its actor
        ActorRef<String> vmm = sim.spawn(Behaviors.<String>setup(ctx -> {
            ActorRef<Opened> adapter = ctx.messageAdapter(Opened.class, o -> "opened");
            ActorRef<LockReply> locks = ctx.messageAdapter(LockReply.class, r -> "locked");
            long[] desc = {0};
            store.tell(new Open(ctx.messageAdapter(Opened.class, o -> {
                desc[0] = o.desc();
                return "opened";
            })));
            return Behaviors.receive(String.class)
                    .onMessageEquals("opened", () -> {
                        store.tell(Lock.nonBlocking(desc[0], EXCLUSIVE, locks));
                        return Behaviors.same();
                    })
                    .onMessageEquals("stop", Behaviors::stopped)
                    .onAnyMessage(m -> Behaviors.same())
                    .build();
        }), "adapter-vmm-" + testNo);
        sim.runFor(Duration.ofMillis(1));
        long mgmt = open();
        assertThat(lock(Lock.nonBlocking(mgmt, SHARED, lockReplies.ref()))).isEqualTo(LockStatus.DENIED);
        sim.tell(store, Lock.untimed(mgmt, SHARED, lockReplies.ref()));
        sim.tell(vmm, "stop");
        assertThat(lockReplies.expectMessageClass(LockReply.class)).isEqualTo(new LockReply(mgmt, SHARED, LockStatus.GRANTED));
    }

    @Test
    void closeAnswersTheDescriptionsWaits() {
        long w = open();
        long r = open();
        lock(Lock.nonBlocking(w, EXCLUSIVE, lockReplies.ref()));
        sim.tell(store, Lock.timed(r, SHARED, Duration.ofMillis(100), lockReplies.ref()));
        sim.tell(store, new Close(r));
        assertThat(lockReplies.expectMessageClass(LockReply.class).status()).isEqualTo(LockStatus.CLOSED);
        lockReplies.expectNoMessage(Duration.ofSeconds(1)); // and no TIMED_OUT later
    }

    @Test
    void writeNeedsTheExclusiveLockAndReplacesTheBlob() {
        SimProbe<WriteReply> writes = probe("writes");
        SimProbe<ReadReply> reads = probe("reads");
        long mgmt = open();
        lock(Lock.nonBlocking(mgmt, SHARED, lockReplies.ref()));
        sim.tell(store, new Write(mgmt, TestCerts.vlekTable(2), writes.ref()));
        assertThat(writes.expectMessageClass(WriteReply.class).status()).isEqualTo(WriteStatus.NOT_LOCKED);
        lock(Lock.nonBlocking(mgmt, EXCLUSIVE, lockReplies.ref()));
        sim.tell(store, new Write(mgmt, TestCerts.vlekTable(2), writes.ref()));
        assertThat(writes.expectMessageClass(WriteReply.class).status()).isEqualTo(WriteStatus.WRITTEN);
        sim.tell(store, new Read(mgmt, reads.ref()));
        ReadReply r = reads.expectMessageClass(ReadReply.class);
        assertThat(r.status()).isEqualTo(ReadStatus.OK);
        assertThat(r.table()).isEqualTo(TestCerts.vlekTable(2));
        assertThat(r.bytes()).isEqualTo(TestCerts.vlekTable(2).encode());
        assertThat(r.pagesNeeded()).isEqualTo(1);
    }

    @Test
    void corruptBlobIsReportedAndAWriteRepairsIt() throws IOException {
        SimProbe<WriteReply> writes = probe("writes");
        SimProbe<ReadReply> reads = probe("reads");
        Files.write(blob.path(), new byte[] {1, 2, 3, 4});
        long d = open();
        sim.tell(store, new Read(d, reads.ref()));
        ReadReply bad = reads.expectMessageClass(ReadReply.class);
        assertThat(bad.status()).isEqualTo(ReadStatus.CORRUPT);
        assertThat(bad.bytes()).isEmpty();
        assertThat(bad.detail()).startsWith("certificate blob is corrupt: ");
        lock(Lock.nonBlocking(d, EXCLUSIVE, lockReplies.ref()));
        sim.tell(store, new Write(d, TestCerts.vlekTable(3), writes.ref()));
        writes.expectMessageClass(WriteReply.class);
        sim.tell(store, new Read(d, reads.ref()));
        assertThat(reads.expectMessageClass(ReadReply.class).status()).isEqualTo(ReadStatus.OK);
    }

    @Test
    void missingBlobIsUnreadable() throws IOException {
        SimProbe<ReadReply> reads = probe("reads");
        Files.delete(blob.path());
        long d = open();
        sim.tell(store, new Read(d, reads.ref()));
        assertThat(reads.expectMessageClass(ReadReply.class).status()).isEqualTo(ReadStatus.UNREADABLE);
    }

    @Test
    void unknownDescriptionIsAnsweredNotThrown() {
        SimProbe<ReadReply> reads = probe("reads");
        SimProbe<WriteReply> writes = probe("writes");
        assertThat(lock(Lock.nonBlocking(99, SHARED, lockReplies.ref()))).isEqualTo(LockStatus.BAD_DESCRIPTOR);
        sim.tell(store, new Read(99, reads.ref()));
        assertThat(reads.expectMessageClass(ReadReply.class).detail()).isEqualTo("description 99 is not open");
        sim.tell(store, new Write(99, TestCerts.vlekTable(2), writes.ref()));
        assertThat(writes.expectMessageClass(WriteReply.class).status()).isEqualTo(WriteStatus.BAD_DESCRIPTOR);
        sim.tell(store, new Unlock(99));
        sim.tell(store, new Close(99));
        long d = open(); // still serving
        assertThat(lock(Lock.nonBlocking(d, EXCLUSIVE, lockReplies.ref()))).isEqualTo(LockStatus.GRANTED);
    }

    @Test
    void withLockingOffAWriteNeedsNoLock() {
        ActorRef<CertStore.Command> loose = sim.spawn(CertStore.create(blob, new OfdLockTable(), false), "loose-" + testNo);
        SimProbe<WriteReply> writes = probe("writes");
        sim.tell(loose, new Open(opened.ref()));
        long d = opened.expectMessageClass(Opened.class).desc();
        sim.tell(loose, new Write(d, TestCerts.vlekTable(4), writes.ref()));
        assertThat(writes.expectMessageClass(WriteReply.class).status()).isEqualTo(WriteStatus.WRITTEN);
        assertThat(blob.read()).isEqualTo(TestCerts.vlekTable(4));
    }

    @Test
    void sameScriptGivesTheSameTraceDigest() {
        String first = scriptedDigest(7);
        assertThat(scriptedDigest(7)).isEqualTo(first);
    }

    private String scriptedDigest(long seed) {
        try (Simulation<Void> s = Simulation.create(Behaviors.empty(), "digest", SimConfig.virtual(seed))) {
            ActorRef<CertStore.Command> st = s.spawn(CertStore.create(blob, new OfdLockTable()), "certstore");
            SimProbe<Opened> o = s.probe("o");
            SimProbe<LockReply> l = s.probe("l");
            for (int i = 0; i < 3; i++) {
                s.tell(st, new Open(o.ref()));
            }
            o.receiveMessages(3, Duration.ofSeconds(1));
            s.tell(st, Lock.nonBlocking(1, EXCLUSIVE, l.ref()));
            s.tell(st, Lock.timed(2, SHARED, Duration.ofMillis(100), l.ref()));
            s.tell(st, Lock.timed(3, EXCLUSIVE, Duration.ofMillis(300), l.ref()));
            s.runFor(Duration.ofMillis(200));
            s.tell(st, new Unlock(1));
            l.receiveMessages(3, Duration.ofSeconds(1));
            return s.trace().digestHex();
        }
    }

    @Test
    void aReadReplyMadeOutsideTheStoreCopiesInAndOut() {
        byte[] bytes = TestCerts.vlekTable(2).encode();
        ReadReply r = new ReadReply(7, ReadStatus.OK, bytes, "");
        bytes[0] ^= 1;
        assertThat(r.bytes()).isEqualTo(TestCerts.vlekTable(2).encode());
        r.bytes()[0] ^= 1;
        assertThat(r.bytes()).isEqualTo(TestCerts.vlekTable(2).encode());
        assertThat(r.length()).isEqualTo(bytes.length);
        assertThat(r).isEqualTo(new ReadReply(7, ReadStatus.OK, TestCerts.vlekTable(2).encode(), ""))
                .hasSameHashCodeAs(new ReadReply(7, ReadStatus.OK, TestCerts.vlekTable(2).encode(), ""))
                .isNotEqualTo(new ReadReply(8, ReadStatus.OK, TestCerts.vlekTable(2).encode(), ""));
        assertThat(r).hasToString("ReadReply[desc=7, status=OK, " + bytes.length + " bytes]");
    }

    @Test
    void aReadReplysViewIsReadOnlyAndTheWholeBlob() {
        SimProbe<ReadReply> reads = probe("reads");
        long d = open();
        sim.tell(store, new Read(d, reads.ref()));
        ReadReply r = reads.expectMessageClass(ReadReply.class);
        java.nio.ByteBuffer view = r.view();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.remaining()).isEqualTo(r.length());
        byte[] seen = new byte[view.remaining()];
        view.get(seen);
        assertThat(seen).isEqualTo(r.bytes());
        assertThat(r.view().remaining()).as("a fresh view each time").isEqualTo(r.length());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.view().put(0, (byte) 1))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
    }
}
