package dev.snpsim.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.ScenarioRunner;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.scenario.results.RunResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in smoke scenario: the whole host works, every report verifies, and runs repeat exactly. */
class SmokeScenarioTest {
    @TempDir
    Path tmp;

    private RunResults runSmoke(long seed) {
        List<ScenarioLoader.Point> points = ScenarioLoader.load(ScenarioLoader.source("smoke"), List.of(), seed);
        return new ScenarioRunner(new SimulatedPointExecutor(tmp)).run(points, null, "test", (i, n) -> (s, w, e) -> { });
    }

    @Test
    void smokePassesItsThresholdsAndRepeatsByteForByte() {
        RunResults a = runSmoke(1);
        RunResults b = runSmoke(1);
        PointResult p = a.summary();
        assertThat(a.passed()).as(p.thresholds().toString()).isTrue();
        assertThat(p.totals().verified()).isGreaterThan(100);
        assertThat(p.totals().staleCertificates()).isZero();
        assertThat(p.totals().vmpckWiped()).isZero();
        assertThat(p.tenants()).extracting(PointResult.TenantResult::name).containsExactly("web", "batch");
        assertThat(p.tenants().get(0).latencyMs().p50()).isGreaterThanOrEqualTo(8.0); // at least one PSP service time
        assertThat(p.tenants().get(0).bootMs().count()).isEqualTo(4);
        assertThat(p.psp().commands()).isGreaterThan(p.totals().requests()); // launches use the PSP too
        assertThat(b.summary().digest()).isEqualTo(p.digest());
        assertThat(b.summary().totals()).isEqualTo(p.totals());
        assertThat(runSmoke(2).summary().digest()).isNotEqualTo(p.digest());
    }
}
