package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The same actor code on Pekko's real dispatcher and scheduler. */
class RealtimeTest {

    private static final int NODES = 10;
    private static final int MAX_TICKS = 20;

    @Test
    void theTimerWorkloadRunsInRealTimeWithSaneResults() {
        SimConfig cfg = SimConfig.realtime(42).withConfig("pekko.log-dead-letters = off");
        try (Simulation<Void> sim = Simulation.create(TimerWorkload.guardian(NODES, MAX_TICKS), "rt", cfg)) {
            assertThat(SimClock.get(sim.system()).isVirtual()).isFalse();
            long wall0 = System.nanoTime();
            RunStats stats = sim.runUntilIdle();
            long wall = System.nanoTime() - wall0;
            assertThat(stats.idle()).isTrue();
            assertThat(stats.events()).isPositive();
            // the clock is the wall clock: the run took as long as the clock says
            assertThat(stats.simulatedNanos()).isBetween(wall - 50_000_000L, wall + 50_000_000L);
            // every node ticked exactly MAX_TICKS times, as in virtual time
            for (int i = 0; i < NODES; i++) {
                assertThat(sim.metrics().counter("ticks/node-" + i).get()).as("node-" + i).isEqualTo(MAX_TICKS);
            }
            // the slowest node needs MAX_TICKS * 5 ms, and the run waited for it plus the quiet period
            assertThat(sim.nowNanos()).isGreaterThanOrEqualTo(MAX_TICKS * 5_000_000L);
            assertThat(sim.trace().events()).isGreaterThan((long) NODES * MAX_TICKS);
        }
    }

    @Test
    void sameWorkloadInVirtualTimeGivesTheSameTickCounts() {
        try (Simulation<Void> sim = Simulation.create(TimerWorkload.guardian(NODES, MAX_TICKS), "vt",
                SimConfig.virtual(42).withConfig("pekko.log-dead-letters = off"))) {
            sim.runUntilIdle();
            for (int i = 0; i < NODES; i++) {
                assertThat(sim.metrics().counter("ticks/node-" + i).get()).isEqualTo(MAX_TICKS);
            }
            assertThat(sim.nowNanos()).isBetween(MAX_TICKS * 5_000_000L, MAX_TICKS * 5_000_000L + 3_000_000L);
        }
    }

    @Test
    void runForWaitsWallTimeAndProbeWorksInRealTime() {
        try (Simulation<SimProbeTest.Go> sim = Simulation.create(SimProbeTest.replier(), "rtprobe",
                SimConfig.realtime(1))) {
            RunStats waited = sim.runFor(Duration.ofMillis(100));
            assertThat(waited.wallNanos()).isGreaterThanOrEqualTo(100_000_000L);
            SimProbe<SimProbeTest.Reply> probe = sim.probe("rt");
            sim.tell(sim.system(), new SimProbeTest.Go(probe.ref()));
            probe.expectMessageClass(SimProbeTest.Early.class, Duration.ofSeconds(5));
            assertThat(probe.lastArrivalNanos()).isGreaterThanOrEqualTo(100_000_000L);
        }
    }
}
