package dev.snpsim.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snpsim.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snpsim bench --quick --json}, reduced in size, through the real CLI: every figure is there and positive. */
class BenchCommandTest {
    private static final String[] REQUIRED = {"floorOneCore", "floorAllCores", "virtualAttestationsPerSecond",
        "virtualToFloorRatio", "speedupReferenceHour", "realtimeAttestationsPerSecond", "realtimeToFloorRatio",
        "speedupSparseDay", "scaleMaxGuests", "scaleHeapPerGuestBytes", "virtualInlineAttestationsPerSecond",
        "virtualInlineToFloorRatio", "virtualInlineToFloorCpuRatio", "virtualToFloorProcessCpuRatio",
        "virtualOffloadSpeedup", "floorOneCoreDuringReference", "floorOneCoreDuringInline", "floorOneCoreSlices",
        "floorAllCoresToOneCore"};

    @Test
    void quickJsonHasEveryFigureAndEachIsPositive(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new String[] {"bench", "--quick", "--json", "--guests", "40", "--duration", "2m",
            "--floor-seconds", "1", "--realtime-seconds", "2", "--scale", "200", "--scale-duration", "10m",
            "--work-dir", dir.toString()}, new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        for (String key : REQUIRED) {
            assertThat(json.has(key)).as("key %s in %s", key, out).isTrue();
            assertThat(json.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(json.get("quick").asBoolean()).isTrue();
        assertThat(json.get("referenceVerified").asLong()).isPositive();
        assertThat(json.get("realtimeFailed").asLong()).isZero();
        assertThat(json.get("referenceDigestsMatch").asBoolean()).as("workers on and off, one digest").isTrue();
        assertThat(json.get("referenceInlineDigest").asText()).isEqualTo(json.get("referenceDigest").asText());
        assertThat(json.get("scaleMaxGuests").asInt()).isEqualTo(200);
        assertThat(json.get("virtualToFloorRatio").asDouble()).isCloseTo(
                json.get("virtualAttestationsPerSecond").asDouble() / json.get("floorOneCoreDuringReference").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        boolean proc = java.nio.file.Files.isDirectory(Path.of("/proc/self/task"));
        for (String vm : new String[] {"referenceJitCpuSeconds", "referenceGcCpuSeconds", "inlineJitCpuSeconds",
            "inlineGcCpuSeconds"}) {
            assertThat(json.has(vm)).as("key %s, read from /proc where there is one", vm).isEqualTo(proc);
            if (!proc) {
                continue;
            }
            assertThat(json.get(vm).asDouble()).as(vm).isNotNegative();
        }
        if (dev.snpsim.bench.suite.PairedFloor.allocatedBytes() >= 0) {
            // the simulation signs and verifies as the floor loop does, and runs the guests besides
            assertThat(json.get("floorAllocatedBytesPerAttestation").asDouble()).isPositive();
            assertThat(json.get("inlineAllocatedBytesPerAttestation").asDouble())
                    .isGreaterThan(json.get("floorAllocatedBytesPerAttestation").asDouble());
        } else {
            assertThat(json.has("inlineAllocatedBytesPerAttestation")).as("not counted by this jvm").isFalse();
        }
        assertThat(err.toString()).contains("bench: floor, one core", "warm-up: the JIT on both paths, 40 guests for 120");
    }

    @Test
    void tableNamesEveryFigure(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new String[] {"bench", "--quick", "--guests", "20", "--duration", "1m",
            "--floor-seconds", "1", "--realtime-seconds", "1", "--scale", "0", "--work-dir", dir.toString()},
                new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("floor, one core", "floor, all cores", "virtual time: reference scenario",
                "the same, sim thread only (inline)", "digests match", "jvm threads during it: jit, gc",
                "inline, allocated per attestation",
                "x the one-core floor",
                "speed-up: reference scenario", "speed-up: sparse day", "real time: flat out", "scale: skipped",
                "micro: skipped (--quick)");
    }

    @Test
    void badOptionIsNamed() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new String[] {"bench", "--quick", "--duration", "soon"}, new PrintWriter(out),
                new PrintWriter(err));

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--duration", "soon");
    }
}
