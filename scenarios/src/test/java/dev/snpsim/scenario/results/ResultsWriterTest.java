package dev.snpsim.scenario.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {
    @TempDir
    Path dir;

    @Test
    void resultsJsonCarriesTheKeysScriptsRelyOn() throws IOException {
        RunResults r = RunResults.of("smoke", "d", "virtual", "test", List.of(SampleResults.point(4, 9, 0)));
        ResultsWriter.write(dir, r);
        JsonNode j = new ObjectMapper().readTree(dir.resolve(ResultsWriter.RESULTS).toFile());
        for (String k : new String[] {"schemaVersion", "scenario", "parameters", "seed", "digest", "simulatedSeconds",
            "wallSeconds", "events", "totals", "tenants", "psp", "fairness"}) {
            assertThat(j.has(k)).as(k).isTrue();
        }
        for (String k : new String[] {"requests", "verified", "staleCertificates", "busy", "eagain", "enospc", "timeouts",
            "vmpckWiped"}) {
            assertThat(j.get("totals").has(k)).as("totals." + k).isTrue();
            assertThat(j.get("tenants").get(0).has(k)).as("tenants[0]." + k).isTrue();
        }
        for (String k : new String[] {"p50", "p90", "p99", "p999", "max"}) {
            assertThat(j.get("tenants").get(0).get("latencyMs").has(k)).as(k).isTrue();
        }
        assertThat(j.get("psp").has("utilisation")).isTrue();
        assertThat(j.get("psp").has("meanQueueDepth")).isTrue();
        assertThat(j.get("fairness").has("jain")).isTrue();
        assertThat(j.get("seed").asLong()).isEqualTo(9);
        assertThat(j.has("points")).isFalse();
    }

    @Test
    void aSweepListsItsPointsAndSumsTotals() throws IOException {
        RunResults r = RunResults.of("t", "d", "virtual", "test",
                List.of(SampleResults.point(10, 1, 0), SampleResults.point(20, 1, 2)));
        ResultsWriter.write(dir, r);
        JsonNode j = new ObjectMapper().readTree(dir.resolve(ResultsWriter.RESULTS).toFile());
        assertThat(j.get("points")).hasSize(2);
        assertThat(j.get("points").get(1).get("parameters").get("guests").asInt()).isEqualTo(20);
        assertThat(j.get("totals").get("requests").asLong()).isEqualTo(2 * 9600);
        assertThat(j.get("totals").get("staleCertificates").asLong()).isEqualTo(2);
        assertThat(j.get("digest").asText()).hasSize(64).isNotEqualTo("ab".repeat(32));
    }

    @Test
    void readBackGivesTheSameFigures() throws IOException {
        RunResults r = RunResults.of("t", "d", "virtual", "test",
                List.of(SampleResults.point(10, 1, 0), SampleResults.point(20, 2, 0)));
        ResultsWriter.write(dir, r);
        RunResults back = ResultsWriter.read(dir);
        assertThat(back.points()).hasSize(2);
        assertThat(back.points().get(1).tenants().get(0).latencyMs().p99()).isEqualTo(40.3);
        assertThat(back.scenario()).isEqualTo("t");
        assertThat(HtmlReport.render(back)).isEqualTo(HtmlReport.render(r));
    }

    @Test
    void csvHasAHeaderAndOneRowPerWindowPerPoint() throws IOException {
        ResultsWriter.write(dir, RunResults.of("t", "d", "virtual", "test",
                List.of(SampleResults.point(10, 1, 0), SampleResults.point(20, 1, 0))));
        List<String> lines = Files.readAllLines(dir.resolve(ResultsWriter.TIMESERIES));
        assertThat(lines.get(0)).startsWith("point,seed,startSeconds,completed,throughputPerSecond,pspQueueDepth,p99Ms");
        assertThat(lines).hasSize(1 + 2 * 60);
        assertThat(lines.get(61)).startsWith("1,1,0.000,");
    }

    @Test
    void reportIsSelfContainedWithItsPlots() throws IOException {
        ResultsWriter.write(dir, RunResults.of("t", "d", "virtual", "test",
                List.of(SampleResults.point(10, 1, 0), SampleResults.point(20, 1, 0))));
        String html = Files.readString(dir.resolve(ResultsWriter.REPORT));
        assertThat(html).doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("https://");
        assertThat(HtmlReport.plotIds(html)).contains("sweep-throughput", "sweep-latency", "throughput-0", "latency-0",
                "busy-1", "percentiles-1");
        assertThat(html).contains("victims").contains("<polyline");
    }

    @Test
    void aBaselineIsWrittenReadBackAndComparedInTheReport() throws IOException {
        PointResult base = SampleResults.point(10, 1, 0);
        RunResults r = RunResults.of("t", "d", "virtual", "test", base,
                List.of(SampleResults.point(10, 1, 0), SampleResults.point(20, 1, 0)));
        ResultsWriter.write(dir, r);
        JsonNode j = new ObjectMapper().readTree(dir.resolve(ResultsWriter.RESULTS).toFile());
        assertThat(j.get("baseline").get("tenants").get(0).get("name").asText()).isEqualTo("victims");
        assertThat(ResultsWriter.read(dir).baseline()).isNotNull();
        String html = Files.readString(dir.resolve(ResultsWriter.REPORT));
        assertThat(html).contains("<h2>Baseline</h2>").contains("p99 / baseline");
        assertThat(HtmlReport.worstRatio(SampleResults.point(10, 1, 0), base)).isEqualTo(1.0);
    }

    @Test
    void missingOrForeignDirectoryIsNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResultsWriter.read(dir))
                .hasMessageContaining("results.json: no such file");
    }
}
