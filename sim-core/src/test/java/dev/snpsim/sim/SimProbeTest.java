package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe: records with arrival times, runs the simulation while waiting, fails clearly. */
class SimProbeTest {

    sealed interface Reply {
    }

    record Early(int n) implements Reply {
    }

    record Late(int n) implements Reply {
    }

    record Go(ActorRef<Reply> replyTo) {
    }

    private final Simulation<Go> sim = Simulation.create(replier(), "probe", SimConfig.virtual(3));

    /** Answers Go with Early(1) after 1 ms and Late(2) after 2 s. */
    static Behavior<Go> replier() {
        return Behaviors.setup(ctx -> Behaviors.receive(Go.class).onAnyMessage(go -> {
            ctx.scheduleOnce(Duration.ofMillis(1), go.replyTo(), new Early(1));
            ctx.scheduleOnce(Duration.ofSeconds(2), go.replyTo(), new Late(2));
            return Behaviors.same();
        }).build());
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void expectRunsTheSimulationUntilTheMessageArrivesAndNoFurther() {
        SimProbe<Reply> probe = sim.probe("replies");
        sim.tell(sim.system(), new Go(probe.ref()));
        Early e = probe.expectMessageClass(Early.class);
        assertThat(e.n()).isEqualTo(1);
        assertThat(probe.lastArrivalNanos()).isEqualTo(1_000_000L);
        assertThat(sim.nowNanos()).as("stopped at the arrival").isEqualTo(1_000_000L);
        Late l = probe.expectMessageClass(Late.class, Duration.ofSeconds(5));
        assertThat(l.n()).isEqualTo(2);
        assertThat(probe.receivedAt(1)).isEqualTo(2_000_000_000L);
        assertThat(probe.messages()).containsExactly(new Early(1), new Late(2));
        assertThat(probe.received()).extracting(SimProbe.Received::simNanos)
                .containsExactly(1_000_000L, 2_000_000_000L);
    }

    @Test
    void expectFailsWhenNoMessageComesInTime() {
        SimProbe<Reply> probe = sim.probe("replies");
        sim.tell(sim.system(), new Go(probe.ref()));
        probe.expectMessageClass(Early.class);
        assertThatThrownBy(() -> probe.receiveMessage(Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("probe replies: no message within PT1S (received 1 in all, all consumed)");
        assertThat(sim.nowNanos()).as("waited one simulated second").isEqualTo(1_001_000_000L);
    }

    @Test
    void expectFailsOnTheWrongClassNamingBoth() {
        SimProbe<Reply> probe = sim.probe("replies");
        sim.tell(sim.system(), new Go(probe.ref()));
        assertThatThrownBy(() -> probe.expectMessageClass(Late.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected a message of class " + Late.class.getName())
                .hasMessageContaining("got " + Early.class.getName());
    }

    @Test
    void expectNoMessageAdvancesTheClockAndFailsIfSomethingCame() {
        SimProbe<Reply> probe = sim.probe("replies");
        sim.tell(sim.system(), new Go(probe.ref()));
        probe.expectMessageClass(Early.class);
        probe.expectNoMessage(Duration.ofSeconds(1));
        assertThat(sim.nowNanos()).isEqualTo(1_001_000_000L);
        assertThatThrownBy(() -> probe.expectNoMessage(Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected no message, got Late[n=2] at 2000000000 ns");
    }

    @Test
    void receiveMessagesWaitsForSeveral() {
        SimProbe<Reply> probe = sim.probe("replies");
        sim.tell(sim.system(), new Go(probe.ref()));
        sim.tell(sim.system(), new Go(probe.ref()));
        List<Reply> four = probe.receiveMessages(4, Duration.ofSeconds(3));
        assertThat(four).containsExactly(new Early(1), new Early(1), new Late(2), new Late(2));
        assertThat(probe.count()).isEqualTo(4);
    }

    @Test
    void expectMessageComparesWithEquals() {
        SimProbe<Reply> probe = sim.probe("replies");
        sim.tell(sim.system(), new Go(probe.ref()));
        probe.expectMessage(new Early(1));
        assertThatThrownBy(() -> probe.expectMessage(new Late(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("probe replies: expected Late[n=3], got Late[n=2]");
    }
}
