package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** Driving a simulation: runs, idleness, clock, tell/ask, timers of stopped actors, progress. */
class SimulationTest {

    private static final SimConfig VIRTUAL = SimConfig.virtual(1).withConfig("pekko.log-dead-letters = off");

    record Echo(String text, ActorRef<String> replyTo) {
    }

    static Behavior<Echo> echo(Duration delay) {
        return Behaviors.withTimers(timers -> Behaviors.receive((ctx, msg) -> {
            if (delay.isZero()) {
                msg.replyTo().tell(msg.text());
            } else {
                timers.startSingleTimer(msg, delay);
                return Behaviors.receive(Echo.class).onAnyMessage(m -> {
                    m.replyTo().tell(m.text());
                    return Behaviors.same();
                }).build();
            }
            return Behaviors.same();
        }));
    }

    @Test
    void anIdleSystemWithoutTimersEndsTheRunInsteadOfHanging() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "idle", VIRTUAL)) {
            RunStats stats = sim.runUntilIdle();
            assertThat(stats.idle()).isTrue();
            assertThat(stats.simulatedNanos()).isZero();
            assertThat(sim.nowNanos()).isZero();
            assertThat(stats.wallNanos()).isLessThan(Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void runForAdvancesTheClockExactlyEvenWhenIdle() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "runfor", VIRTUAL)) {
            RunStats stats = sim.runFor(Duration.ofHours(3));
            assertThat(sim.nowNanos()).isEqualTo(Duration.ofHours(3).toNanos());
            assertThat(stats.simulatedNanos()).isEqualTo(Duration.ofHours(3).toNanos());
            assertThat(stats.speedup()).isGreaterThan(1000);
            sim.runUntil(Duration.ofHours(4).toNanos());
            assertThat(sim.nowNanos()).isEqualTo(Duration.ofHours(4).toNanos());
        }
    }

    @Test
    void aRepeatingTimerStopsRunUntilIdleAtTheIdleLimit() {
        Behavior<String> ticker = Behaviors.withTimers(t -> {
            t.startTimerAtFixedRate("t", "tick", Duration.ofSeconds(1));
            return Behaviors.ignore();
        });
        try (Simulation<String> sim = Simulation.create(ticker, "ticker",
                VIRTUAL.withIdleLimit(Duration.ofMinutes(10)))) {
            RunStats stats = sim.runUntilIdle();
            assertThat(stats.idle()).isFalse();
            assertThat(sim.nowNanos()).isEqualTo(Duration.ofMinutes(10).toNanos());
            // 600 ticks, each a timer firing plus a mailbox run
            assertThat(stats.events()).isGreaterThanOrEqualTo(1200);
        }
    }

    @Test
    void tellFromOutsideIsHandledByTheNextRunAtTheCurrentTime() {
        try (Simulation<Echo> sim = Simulation.create(echo(Duration.ofMillis(3)), "tell", VIRTUAL)) {
            SimProbe<String> probe = sim.probe("replies");
            sim.runFor(Duration.ofSeconds(1));
            sim.tell(sim.system(), new Echo("hi", probe.ref()));
            assertThat(probe.count()).as("nothing runs between run calls").isZero();
            assertThat(probe.expectMessage("hi")).isEqualTo("hi");
            assertThat(probe.lastArrivalNanos()).isEqualTo(1_003_000_000L);
        }
    }

    @Test
    void askCompletesDuringARun() throws Exception {
        try (Simulation<Echo> sim = Simulation.create(echo(Duration.ofMillis(20)), "ask", VIRTUAL)) {
            CompletionStage<String> reply = sim.ask(sim.system(), r -> new Echo("pong", r), Duration.ofSeconds(1));
            assertThat(reply.toCompletableFuture().isDone()).isFalse();
            RunStats stats = sim.runUntilIdle();
            assertThat(reply.toCompletableFuture().getNow("none")).isEqualTo("pong");
            // the ask timeout was cancelled, so the system is idle at 20 ms
            assertThat(stats.idle()).isTrue();
            assertThat(sim.nowNanos()).isEqualTo(20_000_000L);
        }
    }

    @Test
    void askTimesOutInVirtualTime() {
        Behavior<Echo> silent = Behaviors.ignore();
        try (Simulation<Echo> sim = Simulation.create(silent, "asktimeout", VIRTUAL)) {
            CompletionStage<String> reply = sim.ask(sim.system(), r -> new Echo("x", r), Duration.ofSeconds(30));
            sim.runUntilIdle();
            assertThat(reply.toCompletableFuture()).isCompletedExceptionally();
            assertThat(sim.nowNanos()).isEqualTo(30_000_000_000L);
        }
    }

    enum Cmd { CRASH, STOP }

    static Behavior<Cmd> timerOwner(ActorRef<String> out) {
        return Behaviors.withTimers(t -> {
            t.startTimerAtFixedRate("periodic", Cmd.class.getName(), Duration.ofMillis(10));
            t.startSingleTimer("single", "unused", Duration.ofMillis(50));
            return Behaviors.<Object>receive((ctx, msg) -> {
                if (msg == Cmd.CRASH) {
                    throw new IllegalStateException("crash on purpose");
                } else if (msg == Cmd.STOP) {
                    return Behaviors.stopped();
                }
                out.tell("timer@" + SimClock.get(ctx.getSystem()).now());
                return Behaviors.same();
            }).narrow();
        }).narrow();
    }

    @Test
    void crashedAndStoppedActorsTimersDoNotFire() {
        for (Cmd how : Cmd.values()) {
            try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "stop-" + how.name().toLowerCase(),
                    VIRTUAL)) {
                SimProbe<String> probe = sim.probe("out");
                ActorRef<Cmd> owner = sim.spawn(Behaviors.<Cmd>supervise(timerOwner(probe.ref())).onFailure(
                        org.apache.pekko.actor.typed.SupervisorStrategy.stop()), "owner");
                sim.runFor(Duration.ofMillis(25));
                assertThat(probe.messages()).containsExactly("timer@10000000", "timer@20000000");
                sim.tell(owner, how);
                RunStats stats = sim.runUntilIdle();
                assertThat(sim.pendingTimers()).as(how + ": timers cancelled").isZero();
                assertThat(stats.idle()).as(how + ": nothing left pending").isTrue();
                assertThat(probe.messages()).as(how.name()).hasSize(2);
                assertThat(sim.nowNanos()).as("no timer moved the clock").isEqualTo(25_000_000L);
            }
        }
    }

    @Test
    void progressListenerIsCalledDuringAndAtTheEndOfARun() {
        List<long[]> calls = new ArrayList<>();
        try (Simulation<Void> sim = Simulation.create(TimerWorkload.guardian(10, 100), "progress", VIRTUAL)) {
            sim.setProgressListener((simNanos, wallNanos, events) -> calls.add(new long[] {simNanos, events}), 2048,
                    Duration.ofHours(1));
            sim.runUntilIdle();
            assertThat(calls.size()).isGreaterThan(2);
            long[] last = calls.get(calls.size() - 1);
            assertThat(last[0]).isEqualTo(sim.nowNanos());
            assertThat(last[1]).isEqualTo(sim.events());
            for (int i = 1; i < calls.size(); i++) {
                assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
                assertThat(calls.get(i)[1]).isGreaterThanOrEqualTo(calls.get(i - 1)[1]);
            }
        }
    }

    @Test
    void aClosedSimulationRefusesToRunAndClosesTwiceQuietly() {
        Simulation<Void> sim = Simulation.create(Behaviors.empty(), "closed", VIRTUAL);
        sim.close();
        sim.close();
        assertThat(sim.system().whenTerminated().isCompleted()).isTrue();
        assertThatThrownBy(sim::runUntilIdle).isInstanceOf(IllegalStateException.class)
                .hasMessage("simulation closed is closed");
    }

    @Test
    void aGuardianThatStopsTerminatesTheSystem() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.setup(ctx -> Behaviors.stopped()), "selfstop",
                VIRTUAL)) {
            sim.runUntilIdle();
            assertThat(sim.system().whenTerminated().isCompleted()).isTrue();
        }
    }
}
