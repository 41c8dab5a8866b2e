package dev.snpsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path tmp;

    private static final String SMALL = """
            name: small
            duration: 30s
            tenants:
              - name: t
                guests: 2
                workload: { type: open, rate: 0.5, request: extended }
            thresholds:
              - totals.verified > 0
              - totals.verified > 1000000
            """;

    @Test
    void aFailedThresholdExitsOneAndStillWritesTheResults() throws IOException {
        Path f = tmp.resolve("small.yaml");
        Files.writeString(f, SMALL);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("run", f.toString(), "--out", out.toString(), "--seed", "4");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("threshold failed: totals.verified > 1000000");
        JsonNode j = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(j.get("passed").asBoolean()).isFalse();
        assertThat(j.get("seed").asLong()).isEqualTo(4);
        assertThat(j.get("thresholds").get(0).get("passed").asBoolean()).isTrue();
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(out.resolve("timeseries.csv")).isRegularFile();
    }

    @Test
    void anInvalidScenarioExitsTwoBeforeRunning() throws IOException {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, SMALL.replace("guests: 2", "guests: two"));
        CliRun run = CliRun.of("run", f.toString(), "--out", tmp.resolve("never").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("bad.yaml:5:").contains("guests");
        assertThat(tmp.resolve("never")).doesNotExist();
    }
}
