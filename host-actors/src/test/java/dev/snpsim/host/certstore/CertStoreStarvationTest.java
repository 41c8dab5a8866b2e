package dev.snpsim.host.certstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.host.certstore.CertStore.Lock;
import dev.snpsim.host.certstore.CertStore.LockReply;
import dev.snpsim.host.certstore.CertStore.LockStatus;
import dev.snpsim.host.certstore.CertStore.Open;
import dev.snpsim.host.certstore.CertStore.Opened;
import dev.snpsim.host.certstore.CertStore.Unlock;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management tool's exclusive request under a continuous stream of VMM readers, each
 * holding its shared lock for 5 ms and coming back 1 ms later, staggered so that some
 * reader always holds the lock (QEMU's pattern under many guests).
 */
class CertStoreStarvationTest {
    private static final Duration HOLD = Duration.ofMillis(5);
    private static final Duration PAUSE = Duration.ofMillis(1);
    private static final int READERS = 4;
    private static final Duration HORIZON = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    /** A VMM answering certificate exits back to back: timed shared lock, hold, unlock, pause. */
    static Behavior<Object> reader(ActorRef<CertStore.Command> store, Duration start) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorRef<Opened> opened = ctx.messageAdapter(Opened.class, o -> o);
            ActorRef<LockReply> locks = ctx.messageAdapter(LockReply.class, r -> r);
            store.tell(new Open(ctx.getSelf(), opened));
            long[] desc = {0};
            return Behaviors.receive(Object.class)
                    .onMessage(Opened.class, o -> {
                        desc[0] = o.desc();
                        timers.startSingleTimer("go", start);
                        return Behaviors.same();
                    })
                    .onMessageEquals("go", () -> {
                        store.tell(Lock.timed(desc[0], LockMode.SHARED, Duration.ofMillis(100), locks));
                        return Behaviors.same();
                    })
                    .onMessage(LockReply.class, r -> {
                        if (r.status() == LockStatus.GRANTED) {
                            timers.startSingleTimer("release", HOLD);
                        } else {
                            timers.startSingleTimer("go", PAUSE); // EAGAIN to the guest, which retries
                        }
                        return Behaviors.same();
                    })
                    .onMessageEquals("release", () -> {
                        store.tell(new Unlock(desc[0]));
                        timers.startSingleTimer("go", PAUSE);
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    /** Returns the simulated wait of the writer's exclusive request, or -1 if not granted within the horizon. */
    private long writerWait(LockFairness fairness) {
        CertBlobFile blob = new CertBlobFile(dir.resolve(fairness + ".blob"));
        blob.writeAtomically(TestCerts.vlekTable(1));
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "starve", SimConfig.virtual(9))) {
            ActorRef<CertStore.Command> store = sim.spawn(CertStore.create(blob, new OfdLockTable(fairness)), "store");
            for (int i = 0; i < READERS; i++) {
                sim.spawn(reader(store, Duration.ofNanos(i * 1_500_000L)), "vmm-" + i);
            }
            SimProbe<Opened> opened = sim.probe("opened");
            SimProbe<LockReply> locks = sim.probe("mgmt");
            sim.tell(store, new Open(opened.ref()));
            long mgmt = opened.expectMessageClass(Opened.class).desc();
            sim.runFor(Duration.ofMillis(50));
            long asked = sim.nowNanos();
            sim.tell(store, Lock.untimed(mgmt, LockMode.EXCLUSIVE, locks.ref()));
            sim.runFor(HORIZON);
            if (locks.count() == 0) {
                return -1;
            }
            assertThat(locks.messages().get(0).status()).isEqualTo(LockStatus.GRANTED);
            return locks.receivedAt(0) - asked;
        }
    }

    @Test
    void linuxFairnessStarvesTheManagementTool() {
        assertThat(writerWait(LockFairness.LINUX)).isEqualTo(-1);
    }

    @Test
    void writerPreferredGrantsItWithinOneReaderHold() {
        long wait = writerWait(LockFairness.WRITER_PREFERRED);
        assertThat(wait).isBetween(0L, HOLD.toNanos());
    }
}
