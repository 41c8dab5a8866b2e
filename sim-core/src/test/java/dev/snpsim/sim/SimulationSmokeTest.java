package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

class SimulationSmokeTest {

    record Tick() {
    }

    @Test
    void timerFiresAtItsVirtualTime() {
        Behavior<Object> guardian = Behaviors.withTimers(timers -> {
            timers.startSingleTimer(new Tick(), Duration.ofSeconds(5));
            return Behaviors.receive((ctx, msg) -> {
                ctx.getLog().info("got {} at {}", msg, SimClock.get(ctx.getSystem()).now());
                return Behaviors.same();
            });
        });
        long t0 = System.nanoTime();
        try (Simulation<Object> sim = Simulation.create(guardian, "smoke", SimConfig.virtual(1))) {
            System.out.println("created in " + (System.nanoTime() - t0) / 1e6 + " ms");
            RunStats s = sim.runUntilIdle();
            System.out.println(s);
            assertThat(s.idle()).isTrue();
            assertThat(sim.nowNanos()).isEqualTo(5_000_000_000L);
        }
        System.out.println("closed after " + (System.nanoTime() - t0) / 1e6 + " ms");
    }
}
