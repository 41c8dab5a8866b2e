package dev.snpsim.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceTest {

    private long now;
    private final Trace trace = new Trace(() -> now, null);

    enum Status { SUCCESS }

    record Inner(int a, byte[] b) {
    }

    record Outer(String name, Inner inner, Optional<String> opt) {
    }

    @Test
    void linesAreCanonical() {
        Set<String> set = new LinkedHashSet<>(List.of("b", "a"));
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("y", 2);
        String line = TraceFormat.line(1_500, "vm-3/vcpu-0", "exit", new Object[] {
            "code", 0x403, "ok", true, "status", Status.SUCCESS, "blob", new byte[] {0x0a, (byte) 0xff},
            "wait", Duration.ofMillis(2), "set", set, "map", map, "list", List.of(3, 1),
            "text", "two words \"quoted\"\n", "none", null, "rec", new Outer("x", new Inner(1, new byte[] {1}),
                    Optional.empty())});
        assertThat(line).isEqualTo("1500 vm-3/vcpu-0 exit code=1027 ok=true status=SUCCESS blob=0aff wait=2000000ns"
                + " set=[a,b] map={y:2,z:1} list=[3,1] text=\"two words \\\"quoted\\\"\\n\" none=null"
                + " rec=Outer{name=x,inner=Inner{a=1,b=01},opt=empty}");
    }

    @Test
    void badFieldsAreRejectedNamingTheEvent() {
        assertThatThrownBy(() -> trace.record("psp", "cmd", "key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace fields of psp/cmd must be key/value pairs, got 1 values");
        assertThatThrownBy(() -> trace.record("psp", "cmd", 1, 2))
                .hasMessage("trace field key #0 of psp/cmd is 1 (expected: a non-empty string)");
    }

    @Test
    void digestIsSha256OfTheLinesAndTheFileHoldsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.trace");
        Trace t = new Trace(() -> now, file);
        now = 5;
        t.record("psp", "start");
        now = 7;
        t.record("vm-1", "req", "seq", 1);
        String expectedText = "5 psp start\n7 vm-1 req seq=1\n";
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(expectedText.getBytes(StandardCharsets.UTF_8)));
        assertThat(t.digestHex()).isEqualTo(expected);
        assertThat(t.digestHex()).as("reading the digest does not disturb it").isEqualTo(expected);
        assertThat(t.events()).isEqualTo(2);
        t.close();
        assertThat(Files.readString(file)).isEqualTo(expectedText);
    }

    @Test
    void digestDependsOnTimeOrderAndFields() {
        Trace a = new Trace(() -> 1, null);
        Trace b = new Trace(() -> 2, null);
        a.record("x", "y", "k", 1);
        b.record("x", "y", "k", 1);
        assertThat(a.digestHex()).isNotEqualTo(b.digestHex());
        Trace c = new Trace(() -> 1, null);
        c.record("x", "y", "k", 2);
        assertThat(c.digestHex()).isNotEqualTo(a.digestHex());
    }

    @Test
    void traceDiffNamesTheFirstDifferingLine(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "1 x a\n2 x b\n3 x c\n");
        Path b = Files.writeString(dir.resolve("b"), "1 x a\n2 x B\n3 x c\n");
        Path c = Files.writeString(dir.resolve("c"), "1 x a\n2 x b\n");
        assertThat(TraceDiff.firstDivergence(a, a)).isEmpty();
        TraceDiff.Divergence d = TraceDiff.firstDivergence(a, b).orElseThrow();
        assertThat(d).isEqualTo(new TraceDiff.Divergence(2, "2 x b", "2 x B"));
        assertThat(d.toString()).isEqualTo("traces diverge at line 2:\n  a: 2 x b\n  b: 2 x B");
        assertThat(TraceDiff.firstDivergence(a, c)).contains(new TraceDiff.Divergence(3, "3 x c", null));
    }
}
