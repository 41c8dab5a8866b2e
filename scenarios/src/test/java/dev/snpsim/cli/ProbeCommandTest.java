package dev.snpsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProbeCommandTest {
    @Test
    void jsonHasTheDocumentedKeysAndMatchesThisHost() throws Exception {
        CliRun run = CliRun.of("probe", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out());
        for (String k : new String[] {"apiVersion", "vmTypes", "snpVmSupported", "exitCocoMask", "sevDevice", "summary"}) {
            assertThat(j.has(k)).as(k).isTrue();
        }
        assertThat(j.get("sevDevice").asBoolean()).isEqualTo(Files.exists(Path.of("/dev/sev")));
        assumeTrue(Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm here: only the keys are checked");
        assertThat(j.get("apiVersion").asInt()).isEqualTo(12); // KVM_API_VERSION has been 12 since Linux 2.6.22
        assertThat(j.get("vmTypes").toString()).contains("KVM_X86_DEFAULT_VM");
    }

    @Test
    void textSaysWhatSnpsimCanDoHere() {
        CliRun run = CliRun.of("probe");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("/dev/kvm").contains("SNP VM type").contains("/dev/sev");
    }
}
