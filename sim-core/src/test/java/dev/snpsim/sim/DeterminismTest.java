package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.sim.trace.Trace;
import dev.snpsim.sim.trace.TraceDiff;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed, same trace digest; another seed, another digest. */
class DeterminismTest {

    private static final int NODES = 20;
    private static final int MAX_TICKS = 200;
    private static final String QUIET = "pekko.log-dead-letters = off";

    record Outcome(String digest, long traceEvents, long simNanos, boolean idle, long rttCount, long asksOk,
            long asksFailed) {
    }

    static Outcome run(SimConfig cfg) {
        try (Simulation<Void> sim = Simulation.create(TimerWorkload.guardian(NODES, MAX_TICKS), "det",
                cfg.withConfig(QUIET))) {
            RunStats stats = sim.runUntilIdle();
            return new Outcome(sim.trace().digestHex(), sim.trace().events(), sim.nowNanos(), stats.idle(),
                    sim.metrics().histogram("rtt").getTotalCount(), sim.metrics().counter("asks/ok").get(),
                    sim.metrics().counter("asks/failed").get());
        }
    }

    @Test
    void twentyRunsWithOneSeedGiveOneDigest() {
        Set<Outcome> outcomes = new LinkedHashSet<>();
        for (int i = 0; i < 20; i++) {
            outcomes.add(run(SimConfig.virtual(42)));
        }
        assertThat(outcomes).hasSize(1);
        Outcome o = outcomes.iterator().next();
        assertThat(o.idle()).isTrue();
        // every node ticks MAX_TICKS times; plus hellos, jitters, acks
        assertThat(o.traceEvents()).isGreaterThan((long) NODES * MAX_TICKS * 2);
        assertThat(o.rttCount()).isPositive();
        // asks answered in time and asks timed out in virtual time
        assertThat(o.asksOk()).isPositive();
        assertThat(o.asksFailed()).isPositive();
        // the slowest node ticks every 5 ms
        assertThat(o.simNanos()).isBetween(MAX_TICKS * 5_000_000L, MAX_TICKS * 5_000_000L + 10_000_000L);
    }

    /** Ten watchers of one actor: Pekko tells them in the hash order of their refs (their uids). */
    static String watchersDigest(long seed) {
        try (Simulation<String> sim = Simulation.create(Behaviors.setup(ctx -> {
            ActorRef<String> target = ctx.spawn(Behaviors.receiveMessage(m -> Behaviors.stopped()), "target");
            for (int i = 0; i < 10; i++) {
                String name = "watcher-" + i;
                ctx.spawn(Behaviors.<String>setup(c -> {
                    c.watch(target);
                    return Behaviors.receive(String.class).onSignal(Terminated.class, t -> {
                        Trace.get(c.getSystem()).record(name, "saw-terminated", "who", t.getRef());
                        return Behaviors.same();
                    }).build();
                }), name);
            }
            return Behaviors.receiveMessage(m -> {
                target.tell(m);
                return Behaviors.same();
            });
        }), "watch", SimConfig.virtual(seed))) {
            sim.runUntilIdle();
            sim.tell(sim.system(), "stop");
            sim.runUntilIdle();
            assertThat(sim.trace().events()).isEqualTo(10);
            return sim.trace().digestHex();
        }
    }

    @Test
    void watchersOfAStoppingActorAreToldInTheSameOrderEveryRun() {
        Set<String> digests = new LinkedHashSet<>();
        for (int i = 0; i < 8; i++) {
            digests.add(watchersDigest(42));
        }
        assertThat(digests).hasSize(1);
    }

    @Test
    void actorUidsFollowTheSeed() {
        long[] uids = new long[3];
        long[] seeds = {5, 5, 6};
        for (int i = 0; i < 3; i++) {
            try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "uids", SimConfig.virtual(seeds[i]))) {
                uids[i] = sim.spawn(Behaviors.<String>empty(), "a").path().uid();
            }
        }
        assertThat(uids[1]).isEqualTo(uids[0]);
        assertThat(uids[2]).isNotEqualTo(uids[0]);
    }

    @Test
    void anotherSeedGivesAnotherDigest() {
        Outcome a = run(SimConfig.virtual(42));
        Outcome b = run(SimConfig.virtual(43));
        assertThat(b.digest()).isNotEqualTo(a.digest());
        assertThat(b.traceEvents()).isNotEqualTo(a.traceEvents());
    }

    @Test
    void traceFilesOfEqualRunsAreEqualAndDivergenceIsFound(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.trace");
        Path b = dir.resolve("b.trace");
        Path c = dir.resolve("c.trace");
        Outcome oa = run(SimConfig.virtual(7).withTraceFile(a));
        run(SimConfig.virtual(7).withTraceFile(b));
        run(SimConfig.virtual(8).withTraceFile(c));
        assertThat(TraceDiff.firstDivergence(a, b)).isEmpty();
        assertThat(java.nio.file.Files.readAllLines(a)).hasSize((int) oa.traceEvents());
        Optional<TraceDiff.Divergence> d = TraceDiff.firstDivergence(a, c);
        assertThat(d).isPresent();
        assertThat(d.get().a()).isNotEqualTo(d.get().b());
        // the start events are seed-independent, so the runs part later
        assertThat(d.get().line()).isGreaterThan(NODES);
    }
}
