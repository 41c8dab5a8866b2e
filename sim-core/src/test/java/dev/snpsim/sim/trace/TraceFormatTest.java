package dev.snpsim.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedWriter;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level formatting of {@link TraceFormat.Line} and {@link Trace#record} gives exactly
 * what the former String-based formatting gave ({@link Legacy}, kept here verbatim): same
 * lines, same digest, same file.
 */
class TraceFormatTest {

    enum Kind { PLAIN, WITH_BODY { @Override public String toString() { return "not used"; } }, Ünï }

    record Inner(int a, byte[] b, String s) {
    }

    record Outer(String name, Inner inner, Optional<String> opt, List<Object> list) {
    }

    /** Something rendered with its toString. */
    record Odd(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    static final class Opaque {
        private final String text;

        Opaque(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final String[] STRINGS = {
        "", "plain", "vm-3/vcpu-0", "a.b:c@d+e#f$g_h", "two words", "\"quoted\"", "back\\slash", "line\nbreak",
        "cr\rtab\t", "ctl\u0001\u001f", "del\u007f", "é", "café au lait", "日本語", "emoji \uD83D\uDE00",
        "lone \uD800 high", "lone low \uDC00", "\uD800", "=", " ", "null", "-1", "x".repeat(300),
        "é".repeat(200), "a\u0080b", "\u00ff", "tab\tand é",
    };

    private static List<Object> values() {
        List<Object> v = new ArrayList<>();
        v.add(null);
        v.addAll(Arrays.asList(STRINGS));
        v.addAll(List.of(0, 1, -1, 42, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, -7L, 2147483666L,
                Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 9_999_999_999L, 10_000_000_000L, -10L,
                (short) -3, (byte) 127, 1.5, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e300, 2.5f,
                new BigInteger("-123456789012345678901234567890"), new BigDecimal("1E+5"), new AtomicLong(-5),
                true, false, 'x', ' ', '"', 'é', Kind.PLAIN, Kind.WITH_BODY, Kind.Ünï,
                new byte[0], new byte[] {0x0a, (byte) 0xff, 0}, Duration.ZERO, Duration.ofMillis(-2),
                Duration.ofSeconds(9_000_000_000L), Optional.empty(), Optional.of("a b"), Optional.of(Optional.of(3)),
                new Odd("odd one"), new Opaque("opaque"), new Opaque("é\n"), new Opaque("")));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("y y", List.of("é", 2));
        map.put("é", null);
        map.put(3, new byte[] {1});
        v.add(map);
        v.add(Map.of());
        v.add(new LinkedHashSet<>(List.of("b", "a", "é", "a b", "\uD800")));
        v.add(Set.of());
        v.add(List.of(3, 1, List.of(), List.of("x y", Kind.PLAIN)));
        v.add(Arrays.asList(null, "", -1L));
        v.add(new Outer("x", new Inner(1, new byte[] {1}, "é é"), Optional.empty(), Arrays.asList(null, 2)));
        v.add(new Outer("日本", null, Optional.of("\t"), List.of(Map.of("k", new Inner(-1, null, null)))));
        return v;
    }

    /** Events: every value under plain and odd keys, behind plain and odd entities. */
    private static List<Object[]> events() {
        List<Object[]> events = new ArrayList<>();
        String[] entities = {"psp", "fleet-0/driver", "vm 3", "", "日本", "x".repeat(200)};
        List<Object> values = values();
        int n = 0;
        for (Object value : values) {
            String entity = entities[n++ % entities.length];
            events.add(new Object[] {entity, "kind", new Object[] {"k", value}});
            events.add(new Object[] {"e", entity, new Object[] {"a b", 1, "é", value, "seqno", n}});
        }
        events.add(new Object[] {"psp", "start", new Object[0]});
        Object[] pairs = new Object[values.size() * 2];
        for (int i = 0; i < values.size(); i++) {
            pairs[2 * i] = "k" + i;
            pairs[2 * i + 1] = values.get(i);
        }
        events.add(new Object[] {"psp", "many", pairs});
        Random random = new Random(7);
        String alphabet = "aZ09-_./:@+#$ \"\\\n\r\t\u0000\u001f\u007f\u0080éß日\uD83D\uDE00\uD800\uDC00=,{}[]";
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Object value = switch (i % 4) {
                case 0 -> s.toString();
                case 1 -> random.nextLong() >> random.nextInt(64);
                case 2 -> List.of(s.toString(), random.nextInt());
                default -> new Odd(s.toString());
            };
            events.add(new Object[] {"fuzz", s.toString().isEmpty() ? "k" : s.toString(),
                new Object[] {s.toString().isEmpty() ? "k" : s.toString(), value}});
        }
        return events;
    }

    private static final long[] TIMES = {0, 1, -1, 11_061_950_418L, Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void linesAreThoseOfTheFormerFormatting() {
        int i = 0;
        for (Object[] e : events()) {
            long t = TIMES[i++ % TIMES.length];
            Object[] fields = (Object[]) e[2];
            assertThat(TraceFormat.line(t, (String) e[0], (String) e[1], fields))
                    .isEqualTo(Legacy.line(t, (String) e[0], (String) e[1], fields));
        }
    }

    @Test
    void badFieldsAreRejectedAsBefore() {
        Object[][] bad = {{"k"}, {1, 2}, {"", 2}, {null, 1}, {"k", 1, List.of(), 2}, {"k", 1, "x"}};
        for (Object[] fields : bad) {
            String expected = catchThrowable(() -> Legacy.line(1, "e", "k", fields)).getMessage();
            assertThatThrownBy(() -> TraceFormat.line(1, "e", "k", fields))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
        }
    }

    @Test
    void aLineHoldingManyGivesTheBytesOfEachInTurn() throws Exception {
        TraceFormat.Line lines = new TraceFormat.Line();
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        int i = 0;
        for (Object[] e : events()) {
            long t = TIMES[i++ % TIMES.length];
            Object[] fields = (Object[]) e[2];
            String line = Legacy.line(t, (String) e[0], (String) e[1], fields);
            lines.begin();
            TraceFormat.line(lines, t, (String) e[0], (String) e[1], fields);
            lines.append('\n');
            assertThat(lines.text()).isEqualTo(line + "\n");
            lines.end();
            expected.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            if (i % 7 == 0) {
                lines.drain(got);
                assertThat(lines.pending()).isZero();
                assertThat(((MessageDigest) got.clone()).digest()).isEqualTo(((MessageDigest) expected.clone()).digest());
            }
        }
        lines.drain(got);
        assertThat(got.digest()).isEqualTo(expected.digest());
    }

    @Test
    void anUnfinishedLineIsDroppedAndKeptApartFromEndedOnes() throws Exception {
        TraceFormat.Line lines = new TraceFormat.Line();
        lines.begin();
        lines.append("1 a b\n");
        lines.end();
        lines.begin();
        lines.append("2 é unfinished");
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        lines.drain(got); // only what has ended
        assertThat(lines.text()).isEqualTo("2 é unfinished");
        lines.begin(); // drops it
        lines.append("3 c d\n");
        lines.end();
        lines.drain(got);
        assertThat(got.digest()).isEqualTo(MessageDigest.getInstance("SHA-256")
                .digest("1 a b\n3 c d\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void digestAndFileAreThoseOfTheFormerRecord(@TempDir Path dir) throws Exception {
        List<Object[]> events = events();
        // lone surrogates cannot be written to a UTF-8 file (they never could): those go to the digest only
        Path file = dir.resolve("new.trace");
        Path legacyFile = dir.resolve("old.trace");
        long[] now = {0};
        Trace withFile = new Trace(() -> now[0], file);
        Trace withoutFile = new Trace(() -> now[0], null);
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        MessageDigest wellFormed = MessageDigest.getInstance("SHA-256");
        try (BufferedWriter legacyOut = Files.newBufferedWriter(legacyFile, StandardCharsets.UTF_8)) {
            int i = 0;
            for (Object[] e : events) {
                now[0] = TIMES[i++ % TIMES.length];
                Object[] fields = (Object[]) e[2];
                String line = Legacy.line(now[0], (String) e[0], (String) e[1], fields);
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                all.update(bytes);
                withoutFile.record((String) e[0], (String) e[1], fields);
                if (i % 500 == 0) {
                    assertThat(withoutFile.digestHex()).as("digest after %d events", i)
                            .isEqualTo(HexFormat.of().formatHex(((MessageDigest) all.clone()).digest()));
                }
                if (!hasLoneSurrogate(line)) {
                    wellFormed.update(bytes);
                    legacyOut.write(line);
                    legacyOut.write('\n');
                    withFile.record((String) e[0], (String) e[1], fields);
                }
            }
        }
        withFile.close();
        HexFormat hex = HexFormat.of();
        assertThat(withoutFile.digestHex()).isEqualTo(hex.formatHex(all.digest()));
        assertThat(withoutFile.events()).isEqualTo(events.size());
        assertThat(withFile.digestHex()).isEqualTo(hex.formatHex(wellFormed.digest()));
        assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(legacyFile));
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aValueThatRecordsWhileBeingFormattedDoesNotDisturbTheLine() throws Exception {
        Trace trace = new Trace(() -> 9, null);
        Object sneaky = new Object() {
            @Override
            public String toString() {
                trace.record("inner", "event", "k", "é v");
                return "outer value";
            }
        };
        trace.record("outer", "event", "a", 1, "v", sneaky, "b", 2);
        String expected = "9 inner event k=\"é v\"\n9 outer event a=1 v=\"outer value\" b=2\n";
        assertThat(trace.events()).isEqualTo(2);
        assertThat(trace.digestHex()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(expected.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aRejectedEventLeavesNoTrace() throws Exception {
        Trace trace = new Trace(() -> 1, null);
        trace.record("a", "b", "k", "long value ".repeat(20));
        assertThatThrownBy(() -> trace.record("a", "b", "k", 1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trace.record("a", "b", "k", 1, "", 3)).isInstanceOf(IllegalArgumentException.class);
        trace.record("a", "c");
        String expected = "1 a b k=\"" + "long value ".repeat(20) + "\"\n1 a c\n";
        assertThat(trace.events()).isEqualTo(2);
        assertThat(trace.digestHex()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(expected.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void threadsRecordingAtOnceEachGetWholeLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("threads.trace");
        Trace trace = new Trace(() -> 5, file);
        int threads = 4;
        int each = 2000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    trace.record("thread-" + id, "event", "i", i, "text", id % 2 == 0 ? "plain" : "é and spaces");
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        trace.close();
        byte[] written = Files.readAllBytes(file);
        assertThat(trace.events()).isEqualTo((long) threads * each);
        assertThat(trace.digestHex()).as("the digest covers the lines in the order they were written")
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written)));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * each);
        for (String line : lines) {
            assertThat(line).matches("5 thread-[0-3] event i=[0-9]+ text=(plain|\"é and spaces\")");
        }
    }

    /** The formatting as it was before lines were built as bytes, verbatim. */
    static final class Legacy {

        private static final HexFormat HEX = HexFormat.of();

        private Legacy() {
        }

        static String line(long nanos, String entity, String kind, Object[] fields) {
            if (fields.length % 2 != 0) {
                throw new IllegalArgumentException("trace fields of " + entity + "/" + kind
                        + " must be key/value pairs, got " + fields.length + " values");
            }
            StringBuilder sb = new StringBuilder(64);
            sb.append(nanos).append(' ');
            token(sb, entity);
            sb.append(' ');
            token(sb, kind);
            for (int i = 0; i < fields.length; i += 2) {
                if (!(fields[i] instanceof String key) || key.isEmpty()) {
                    throw new IllegalArgumentException("trace field key #" + (i / 2) + " of " + entity + "/" + kind
                            + " is " + fields[i] + " (expected: a non-empty string)");
                }
                sb.append(' ');
                token(sb, key);
                sb.append('=');
                value(sb, fields[i + 1]);
            }
            return sb.toString();
        }

        static void value(StringBuilder sb, Object v) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String s) {
                token(sb, s);
            } else if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
                token(sb, v.toString());
            } else if (v instanceof Enum<?> e) {
                sb.append(e.name());
            } else if (v instanceof byte[] b) {
                sb.append(HEX.formatHex(b));
            } else if (v instanceof Duration d) {
                sb.append(d.toNanos()).append("ns");
            } else if (v instanceof org.apache.pekko.actor.typed.ActorRef<?> ref) {
                token(sb, ref.path().toStringWithoutAddress());
            } else if (v instanceof org.apache.pekko.actor.ActorRef ref) {
                token(sb, ref.path().toStringWithoutAddress());
            } else if (v instanceof Optional<?> o) {
                if (o.isPresent()) {
                    value(sb, o.get());
                } else {
                    sb.append("empty");
                }
            } else if (v instanceof Set<?> set) {
                sorted(sb, set);
            } else if (v instanceof Map<?, ?> map) {
                List<String> entries = new ArrayList<>(map.size());
                map.forEach((k, val) -> {
                    StringBuilder e = new StringBuilder();
                    value(e, k);
                    e.append(':');
                    value(e, val);
                    entries.add(e.toString());
                });
                entries.sort(null);
                sb.append('{').append(String.join(",", entries)).append('}');
            } else if (v instanceof Collection<?> c) {
                sb.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    value(sb, o);
                }
                sb.append(']');
            } else if (v instanceof Record r) {
                record(sb, r);
            } else {
                token(sb, v.toString());
            }
        }

        private static void sorted(StringBuilder sb, Collection<?> c) {
            List<String> items = new ArrayList<>(c.size());
            for (Object o : c) {
                StringBuilder e = new StringBuilder();
                value(e, o);
                items.add(e.toString());
            }
            items.sort(null);
            sb.append('[').append(String.join(",", items)).append(']');
        }

        private static void record(StringBuilder sb, Record r) {
            sb.append(r.getClass().getSimpleName()).append('{');
            RecordComponent[] components = r.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(components[i].getName()).append('=');
                try {
                    var accessor = components[i].getAccessor();
                    accessor.setAccessible(true);
                    value(sb, accessor.invoke(r));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    sb.append('?');
                }
            }
            sb.append('}');
        }

        /** Appends s bare if it is a plain token, else quoted with escapes. */
        static void token(StringBuilder sb, String s) {
            if (isPlain(s)) {
                sb.append(s);
                return;
            }
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        private static boolean isPlain(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@' || c == '+'
                        || c == '#' || c == '$';
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
