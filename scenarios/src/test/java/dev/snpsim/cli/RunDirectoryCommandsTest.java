package dev.snpsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.scenario.results.ResultsWriter;
import dev.snpsim.scenario.results.RunResults;
import dev.snpsim.scenario.results.SampleResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list, report and compare: the commands around run directories. */
class RunDirectoryCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void listShowsEveryBuiltInWithItsDescription() {
        CliRun run = CliRun.of("list");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("smoke").contains("throughput").contains("dos-flood").contains("vlek-rotation")
                .contains("tcb-update").contains("rotates every minute");
    }

    @Test
    void reportReRendersTheHtmlFromResults() throws IOException {
        Path dir = tmp.resolve("run");
        ResultsWriter.write(dir, RunResults.of("smoke", "d", "virtual", "t", List.of(SampleResults.point(4, 1, 0))));
        Files.delete(dir.resolve("report.html"));
        CliRun run = CliRun.of("report", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg id=\"throughput\"");
        CliRun missing = CliRun.of("report", tmp.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void compareMarksOnlyTheDifferencesThatMatter() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        ResultsWriter.write(a, RunResults.of("s", "d", "virtual", "t", List.of(SampleResults.point(4, 1, 0))));
        ResultsWriter.write(b, RunResults.of("s", "d", "virtual", "t", List.of(SampleResults.point(4, 1, 0))));
        ResultsWriter.write(c, RunResults.of("s", "d", "virtual", "t", List.of(SampleResults.point(4, 1, 5))));
        CliRun same = CliRun.of("compare", a.toString(), b.toString());
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).contains("no difference beyond 5%");
        CliRun differs = CliRun.of("compare", a.toString(), c.toString());
        assertThat(differs.exitCode()).isEqualTo(1);
        assertThat(differs.out()).containsPattern("stale certificates\\s+0\\s+5 \\*");
    }
}
