package dev.snpsim.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.ScenarioRunner;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.sim.offload.Offload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures computed ahead on worker threads and verdicts applied late change nothing a user
 * sees: a run with the shared workers and a run with everything inline on the simulation thread
 * give the same figures and the same trace digest, byte for byte.
 */
class OffloadDeterminismTest {
    @TempDir
    Path tmp;

    private PointResult run(boolean inline) throws IOException {
        System.setProperty(SimulatedPointExecutor.INLINE_OFFLOAD, Boolean.toString(inline));
        try {
            // the race case: stale certificates, full verifications on new chains, a warm-up to flush at
            Path file = tmp.resolve("race.yaml");
            Files.writeString(file, String.join("\n",
                    "name: race",
                    "duration: 60s",
                    "warmup: 10s",
                    "host: { signingKey: vlek, locking: false, certsTimeout: 100ms }",
                    "tenants:",
                    "  - { name: fleet, guests: 60, vcpus: 2, workload: { type: open, rate: 1.0, request: extended } }",
                    "management:",
                    "  - { action: rotate-vlek, at: 12s, every: 15s }",
                    ""));
            List<ScenarioLoader.Point> points = ScenarioLoader.load(ScenarioLoader.source(file.toString()), List.of(), 5L);
            return new ScenarioRunner(new SimulatedPointExecutor(tmp))
                    .run(points, null, "test", (i, n) -> (s, w, e) -> { }).summary();
        } finally {
            System.clearProperty(SimulatedPointExecutor.INLINE_OFFLOAD);
        }
    }

    @Test
    void workersOnAndOffGiveTheSameResultsAndDigest() throws IOException {
        assertThat(Offload.shared().workers()).as("this machine has a second core for the workers").isPositive();
        PointResult shared = run(false);
        PointResult inline = run(true);
        assertThat(shared.totals().verified()).isGreaterThan(2000);
        assertThat(shared.totals().staleCertificates()).as("the race happened").isPositive();
        assertThat(shared.digest()).isEqualTo(inline.digest());
        assertThat(shared.totals()).isEqualTo(inline.totals());
        assertThat(shared.tenants()).isEqualTo(inline.tenants());
        assertThat(shared.psp()).isEqualTo(inline.psp());
        assertThat(shared.timeseries()).isEqualTo(inline.timeseries());
        assertThat(shared.thresholds()).isEqualTo(inline.thresholds());
    }
}
