package dev.snpsim.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same actors on the wall clock: a short run attests, and its figures are read after the system stopped. */
class RealtimeRunTest {
    @TempDir
    Path tmp;

    @Test
    void aRealTimeRunAttestsAndReportsItsFigures() {
        ScenarioLoader.Point p = ScenarioLoader.load(new ScenarioLoader.Source("rt.yaml", """
                name: rt
                duration: 12s
                mode: realtime
                tenants:
                  - name: t
                    guests: 3
                    workload: { type: open, rate: 3, request: extended }
                """, false), List.of(), 1L).get(0);
        PointResult r = new SimulatedPointExecutor(tmp).run(p, true, (s, w, e) -> { });
        assertThat(r.totals().verified()).as(QueueingTheoryTest.diagnostics(r)).isPositive();
        assertThat(r.totals().staleCertificates()).isZero();
        assertThat(r.wallSeconds()).isGreaterThanOrEqualTo(11.0);  // the wall clock, not virtual time
        assertThat(r.digest()).isEmpty();                           // real time does not repeat
        assertThat(r.tenants().get(0).latencyMs().p50()).isGreaterThanOrEqualTo(8.0);
    }
}
