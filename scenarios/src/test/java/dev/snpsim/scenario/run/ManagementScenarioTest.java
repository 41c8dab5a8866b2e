package dev.snpsim.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Management operations under load, through the runner: the lock protocol's cost and its guarantee. */
class ManagementScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void aFirmwareUpdateUnderLoadCostsEagainButNeverAStaleCertificate() {
        ScenarioLoader.Point p = ScenarioLoader.load(new ScenarioLoader.Source("t.yaml", """
                name: update-under-load
                duration: 40s
                host: { signingKey: vcek }
                tenants:
                  - name: fleet
                    guests: 20
                    workload: { type: open, rate: 2, request: extended }
                management:
                  - { action: firmware-update, at: 15s }
                """, false), List.of(), 5L).get(0);
        PointResult r = new SimulatedPointExecutor(tmp).run(p, false, (s, w, e) -> { });
        // the update holds the blob's exclusive lock for its 500 ms download and more; VMMs wait
        // 100 ms for their shared lock, then answer EAGAIN, which the guests see as BUSY
        assertThat(r.totals().eagain()).as(QueueingTheoryTest.diagnostics(r)).isPositive();
        assertThat(r.totals().busy()).isGreaterThanOrEqualTo(r.totals().eagain());
        assertThat(r.totals().staleCertificates()).isZero();
        assertThat(r.totals().verified()).isEqualTo(r.totals().requests());
        assertThat(r.timeseries().stream().mapToLong(PointResult.Window::eagain).sum()).isEqualTo(r.totals().eagain());
        assertThat(r.timeseries().stream().mapToLong(PointResult.Window::lockWaits).sum()).isPositive();
        assertThat(r.fairness().jain()).isGreaterThan(0.9);
    }
}
