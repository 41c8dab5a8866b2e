package dev.snpsim.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceInSimulationTest {

    @Test
    void eventsCarrySimulatedTimeAndActorPathsWithoutUids(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.trace");
        try (Simulation<String> sim = Simulation.create(Behaviors.setup(ctx -> Behaviors.receive(String.class)
                .onAnyMessage(m -> {
                    Trace.get(ctx.getSystem()).record("guardian", "got", "msg", m, "self", ctx.getSelf());
                    return Behaviors.same();
                }).build()), "traced", SimConfig.virtual(1).withTraceFile(file))) {
            sim.runFor(Duration.ofMillis(42));
            sim.tell(sim.system(), "hello");
            sim.runUntilIdle();
            assertThat(sim.trace().file()).isEqualTo(file);
        }
        assertThat(Files.readAllLines(file)).containsExactly("42000000 guardian got msg=hello self=/user");
    }
}
