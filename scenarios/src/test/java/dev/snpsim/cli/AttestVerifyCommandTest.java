package dev.snpsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snpsim attest} then {@code snpsim verify}: what a user runs first. */
class AttestVerifyCommandTest {
    @TempDir
    static Path tmp;
    static Path milan;

    @BeforeAll
    static void attest() {
        milan = tmp.resolve("milan");
        CliRun run = CliRun.of("attest", "--out", milan.toString(), "--report-data", "c0ffee", "--seed", "7");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void attestWritesTheReportTableAndChainFiles() {
        for (String f : new String[] {"report.bin", "certs.bin", "ark.pem", "ask.pem", "vcek.der"}) {
            assertThat(milan.resolve(f)).isRegularFile();
        }
        assertThat(milan.resolve("report.bin")).hasSize(0x4A0);
    }

    @Test
    void verifyDirIsValidAndJsonCarriesTheDecodedFields() throws IOException {
        CliRun run = CliRun.of("verify", "--dir", milan.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out());
        assertThat(j.get("verdict").asText()).isEqualTo("valid");
        assertThat(j.get("reason").asText()).isEqualTo("OK");
        JsonNode r = j.get("report");
        assertThat(r.get("reportData").asText()).startsWith("c0ffee00");
        assertThat(r.get("signingKey").asText()).isEqualTo("VCEK");
        assertThat(r.get("version").asInt()).isEqualTo(3);
        for (String k : new String[] {"guestSvn", "policy", "vmpl", "signatureAlgo", "currentTcb", "platformInfo",
            "measurement", "hostData", "idKeyDigest", "authorKeyDigest", "reportId", "reportIdMa", "reportedTcb",
            "chipId", "committedTcb", "launchTcb"}) {
            assertThat(r.has(k)).as("key " + k).isTrue();
        }
        // microcode 213 sits in the top byte: the raw value exceeds 2^63 and must stay unsigned
        assertThat(r.get("reportedTcb").get("raw").isBigInteger() || r.get("reportedTcb").get("raw").asLong() >= 0)
                .isTrue();
        assertThat(r.get("reportedTcb").get("raw").bigIntegerValue().signum()).isPositive();
        assertThat(r.get("reportedTcb").get("microcode").asInt()).isEqualTo(213);
    }

    @Test
    void verifyCertsTableIsValid() {
        CliRun run = CliRun.of("verify", "--report", milan.resolve("report.bin").toString(),
                "--certs", milan.resolve("certs.bin").toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("VALID OK").contains("not pinned");
    }

    @Test
    void aFlippedReportByteIsInvalidWithExitOne() throws IOException {
        Path bad = tmp.resolve("flipped");
        Files.createDirectories(bad);
        for (String f : new String[] {"ark.pem", "ask.pem", "vcek.der"}) {
            Files.copy(milan.resolve(f), bad.resolve(f));
        }
        byte[] report = Files.readAllBytes(milan.resolve("report.bin"));
        report[0x50] ^= 1; // REPORT_DATA: still well formed, signature no longer matches
        Files.write(bad.resolve("report.bin"), report);
        CliRun run = CliRun.of("verify", "--dir", bad.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("BAD_SIGNATURE");
    }

    @Test
    void aForeignPinnedArkBreaksTheChain() {
        Path other = tmp.resolve("other-seed");
        assertThat(CliRun.of("attest", "--out", other.toString(), "--seed", "8").exitCode()).isZero();
        CliRun run = CliRun.of("verify", "--dir", milan.toString(), "--ark", other.resolve("ark.pem").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("CHAIN_BROKEN");
    }

    @Test
    void unreadableInputExitsTwoNamingTheFile() {
        CliRun missing = CliRun.of("verify", "--report", tmp.resolve("nope.bin").toString(), "--dir", milan.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.bin").contains("no such file");

        CliRun notATable = CliRun.of("verify", "--report", milan.resolve("report.bin").toString(),
                "--certs", milan.resolve("report.bin").toString());
        assertThat(notATable.exitCode()).isEqualTo(2);
        assertThat(notATable.err()).contains("certificate table");
    }

    @Test
    void badOptionsAreRejectedWithTheValueNamed() {
        CliRun product = CliRun.of("attest", "--out", tmp.resolve("x").toString(), "--product", "naples");
        assertThat(product.exitCode()).isEqualTo(2);
        assertThat(product.err()).contains("naples");
        CliRun data = CliRun.of("attest", "--out", tmp.resolve("y").toString(), "--report-data", "zz");
        assertThat(data.exitCode()).isEqualTo(2);
        assertThat(data.err()).contains("--report-data");
    }

    @Test
    void vlekOnTurinVerifies() {
        Path turin = tmp.resolve("turin");
        assertThat(CliRun.of("attest", "--out", turin.toString(), "--product", "turin", "--signing-key", "vlek",
                "--report-version", "5").exitCode()).isZero();
        assertThat(turin.resolve("asvk.pem")).isRegularFile();
        assertThat(turin.resolve("vlek.der")).isRegularFile();
        CliRun run = CliRun.of("verify", "--dir", turin.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("VLEK").contains("(turin)");
    }
}
