package dev.snpsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snpsim verify} on reports produced by AMD Milan hardware (../shared/testdata/real-amd). */
class RealReportCommandTest {
    static final Path REAL = Path.of(System.getProperty("snpsim.testdata", "../../shared/testdata")).resolve("real-amd");

    @TempDir
    Path tmp;

    @Test
    void realMilanReportsVerifyWithAmdsArk() throws IOException {
        assumeTrue(Files.isDirectory(REAL), "real AMD test data not found at " + REAL.toAbsolutePath()
                + " (a clone outside the project's workplace has no ../shared)");
        for (int i = 1; i <= 2; i++) {
            CliRun run = CliRun.of("verify", "--report", REAL.resolve("milan_report_" + i + ".bin").toString(),
                    "--dir", dir(i, i).toString(), "--ark", REAL.resolve("ark_milan.pem").toString(), "--json");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            JsonNode j = new ObjectMapper().readTree(run.out());
            assertThat(j.get("product").asText()).isEqualTo("Milan");
            assertThat(j.get("arkPinned").asBoolean()).isTrue();
            assertThat(j.get("report").get("version").asInt()).isEqualTo(2);
        }
    }

    @Test
    void anotherChipsVcekIsRejected() throws IOException {
        assumeTrue(Files.isDirectory(REAL), "real AMD test data not found at " + REAL.toAbsolutePath());
        CliRun run = CliRun.of("verify", "--report", REAL.resolve("milan_report_1.bin").toString(),
                "--dir", dir(1, 2).toString(), "--ark", REAL.resolve("ark_milan.pem").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("INVALID");
    }

    private Path dir(int report, int vcek) throws IOException {
        Path d = tmp.resolve("r" + report + "v" + vcek);
        Files.createDirectories(d);
        Files.copy(REAL.resolve("ask_milan.pem"), d.resolve("ask.pem"));
        Files.copy(REAL.resolve("milan_vcek_" + vcek + ".der"), d.resolve("vcek.der"));
        return d;
    }
}
