package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * A task that throws a {@link VirtualMachineError} halts the run and the caller is told; a task
 * that throws an ordinary exception does not (Pekko's dispatcher reports it) and the run goes on.
 */
class HaltTest {

    private static final SimConfig VIRTUAL = SimConfig.virtual(3).withConfig("pekko.log-dead-letters = off");
    private static final long S = 1_000_000_000L;

    enum Tick { TICK }

    /** Tells out the clock every second; at failAt it throws the error instead. */
    static Behavior<Tick> ticker(ActorRef<Long> out, long failAt, Error error) {
        return Behaviors.withTimers(t -> {
            t.startTimerAtFixedRate(Tick.TICK, Duration.ofSeconds(1));
            return Behaviors.receive((ctx, msg) -> {
                long now = SimClock.get(ctx.getSystem()).now();
                if (now == failAt) {
                    throw error;
                }
                out.tell(now);
                return Behaviors.same();
            });
        });
    }

    @Test
    void anOutOfMemoryErrorHaltsTheRunAtItsInstantAndEveryLaterRunRefuses() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (thrown by the test)");
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "oom", VIRTUAL)) {
            SimProbe<Long> out = sim.probe("out");
            sim.spawn(ticker(out.ref(), 5 * S, oom), "ticker");
            assertThatThrownBy(() -> sim.runFor(Duration.ofMinutes(1)))
                    .isInstanceOf(Simulation.HaltedException.class)
                    .hasCause(oom)
                    .hasMessageStartingWith("simulation halted at 5000000000 ns of simulated time: task ")
                    .hasMessageContaining("threw java.lang.OutOfMemoryError: Java heap space (thrown by the test)");
            assertThat(sim.nowNanos()).as("the clock stops where the error was thrown").isEqualTo(5 * S);
            assertThat(out.messages()).containsExactly(S, 2 * S, 3 * S, 4 * S);
            assertThat(sim.taskFailures()).isEqualTo(1);
            assertThat(sim.haltedBy()).isSameAs(oom);
            assertThatThrownBy(() -> sim.runFor(Duration.ofSeconds(1)))
                    .isInstanceOf(Simulation.HaltedException.class)
                    .hasCause(oom)
                    .hasMessageStartingWith("simulation oom was halted by an earlier run: simulation halted at 5000000000 ns");
            assertThat(sim.nowNanos()).isEqualTo(5 * S);
        }
    }

    static int depth(int n) {
        return depth(n + 1) + 1;
    }

    @Test
    void aRealStackOverflowHaltsRunUntilIdleAndTheSimulationStillCloses() {
        Simulation<String> sim = Simulation.create(Behaviors.receive(String.class)
                .onMessageEquals("recurse", () -> {
                    depth(0);
                    return Behaviors.same();
                }).build(), "deep", VIRTUAL);
        sim.tell(sim.system(), "recurse");
        assertThatThrownBy(sim::runUntilIdle)
                .isInstanceOf(Simulation.HaltedException.class)
                .hasCauseInstanceOf(StackOverflowError.class)
                .hasMessageContaining("threw java.lang.StackOverflowError");
        assertThat(sim.taskFailures()).isEqualTo(1);
        sim.close();
        assertThat(sim.system().whenTerminated().isCompleted()).as("the actor system stopped").isTrue();
    }

    @Test
    void anErrorFromATimerTaskHaltsTheRunToo() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "timer-error", VIRTUAL)) {
            StackOverflowError error = new StackOverflowError("thrown by the test");
            sim.system().scheduler().scheduleOnce(Duration.ofSeconds(2), () -> {
                throw error;
            }, sim.system().executionContext());
            assertThatThrownBy(() -> sim.runFor(Duration.ofSeconds(10)))
                    .isInstanceOf(Simulation.HaltedException.class).hasCause(error);
            assertThat(sim.nowNanos()).isEqualTo(2 * S);
        }
    }

    @Test
    void anOrdinaryExceptionDoesNotHaltTheRun() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "exception", VIRTUAL)) {
            SimProbe<Long> out = sim.probe("out");
            sim.spawn(ticker(out.ref(), -1, null), "ticker");
            sim.system().scheduler().scheduleOnce(Duration.ofSeconds(2), () -> {
                throw new IllegalArgumentException("thrown by the test");
            }, sim.system().executionContext());
            RunStats stats = sim.runFor(Duration.ofSeconds(4));
            assertThat(stats.simulatedNanos()).isEqualTo(4 * S);
            assertThat(out.messages()).containsExactly(S, 2 * S, 3 * S, 4 * S);
            assertThat(sim.haltedBy()).isNull();
        }
    }
}
