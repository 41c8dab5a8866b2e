package dev.snpsim.sim.trace;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The canonical text of trace events: {@code <ns> <entity> <kind>[ key=value]...}. Values are
 * rendered without anything that differs between runs of one seed: actor references by path
 * (no {@code #uid}), sets and maps sorted, records field by field (never their {@code toString},
 * which would print references with uids).
 *
 * <p>Lines are built in a {@link Line}, which keeps an all-ASCII line as bytes (so it can be
 * digested without building a {@code String}) and switches to chars at the first non-ASCII one;
 * what each value type renders as is decided here only.
 */
final class TraceFormat {

    private static final HexFormat HEX = HexFormat.of();

    /** Which ASCII chars may appear in a bare (unquoted) token. */
    private static final boolean[] PLAIN = new boolean[128];

    /** The tens and the ones digit of 0 to 99. */
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
        for (char c = 'a'; c <= 'z'; c++) {
            PLAIN[c] = true;
            PLAIN[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            PLAIN[c] = true;
        }
        for (char c : "-_./:@+#$".toCharArray()) {
            PLAIN[c] = true;
        }
    }

    private TraceFormat() {
    }

    static String line(long nanos, String entity, String kind, Object[] fields) {
        Line line = new Line();
        line(line, nanos, entity, kind, fields);
        return line.text();
    }

    /** Appends the event's line (without the newline) to the current line of {@code sb}. */
    static void line(Line sb, long nanos, String entity, String kind, Object[] fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("trace fields of " + entity + "/" + kind
                    + " must be key/value pairs, got " + fields.length + " values");
        }
        sb.append(nanos).append(' ');
        sb.token(entity);
        sb.append(' ');
        sb.token(kind);
        for (int i = 0; i < fields.length; i += 2) {
            if (!(fields[i] instanceof String key) || key.isEmpty()) {
                throw new IllegalArgumentException("trace field key #" + (i / 2) + " of " + entity + "/" + kind
                        + " is " + fields[i] + " (expected: a non-empty string)");
            }
            sb.append(' ');
            sb.token(key);
            sb.append('=');
            value(sb, fields[i + 1]);
        }
    }

    static void value(Line sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            sb.token(s);
        } else if (v instanceof Integer i) {
            sb.append(i.longValue()); // what toString gives, always a bare token
        } else if (v instanceof Long l) {
            sb.append(l.longValue());
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            sb.token(v.toString());
        } else if (v instanceof Enum<?> e) {
            sb.append(e.name());
        } else if (v instanceof byte[] b) {
            sb.append(HEX.formatHex(b));
        } else if (v instanceof Duration d) {
            sb.append(d.toNanos()).append("ns");
        } else if (v instanceof org.apache.pekko.actor.typed.ActorRef<?> ref) {
            sb.token(ref.path().toStringWithoutAddress());
        } else if (v instanceof org.apache.pekko.actor.ActorRef ref) {
            sb.token(ref.path().toStringWithoutAddress());
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
                Line e = new Line();
                value(e, k);
                e.append(':');
                value(e, val);
                entries.add(e.text());
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
            sb.token(v.toString());
        }
    }

    private static void sorted(Line sb, Collection<?> c) {
        List<String> items = new ArrayList<>(c.size());
        for (Object o : c) {
            Line e = new Line();
            value(e, o);
            items.add(e.text());
        }
        items.sort(null);
        sb.append('[').append(String.join(",", items)).append(']');
    }

    private static void record(Line sb, Record r) {
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

    /**
     * Lines being built and not yet digested. While every char of the current line is ASCII it
     * is kept as bytes, which are then its UTF-8 encoding; from the first other char on it is
     * kept as chars and, when the line {@link #end() ends}, encoded exactly as
     * {@code String.getBytes(UTF_8)} does. Ended lines stay in the buffer until {@link #drain}
     * feeds them to a digest in one go (SHA-256 of the whole does not depend on how it is cut).
     */
    static final class Line {
        private byte[] bytes = new byte[256];
        /** Bytes [0, ended) are lines that have ended; [ended, length) is the current line. */
        private int ended;
        private int length;
        /** The whole current line once it holds a non-ASCII char, else null. */
        private StringBuilder chars;

        /** Starts a new line, dropping what an unfinished one (one that threw) left. */
        void begin() {
            length = ended;
            chars = null;
        }

        /** Ends the current line: it joins the bytes to digest. */
        void end() {
            if (chars != null) {
                byte[] utf8 = chars.toString().getBytes(StandardCharsets.UTF_8);
                chars = null;
                length = ended;
                reserve(utf8.length);
                System.arraycopy(utf8, 0, bytes, length, utf8.length);
                length += utf8.length;
            }
            ended = length;
        }

        /** Bytes of ended lines not yet digested. */
        int pending() {
            return ended;
        }

        /** Feeds the ended lines to {@code md} and forgets them; the current line stays. */
        void drain(MessageDigest md) {
            md.update(bytes, 0, ended);
            System.arraycopy(bytes, ended, bytes, 0, length - ended);
            length -= ended;
            ended = 0;
        }

        /** The current line. */
        String text() {
            return chars != null ? chars.toString()
                    : new String(bytes, ended, length - ended, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return text();
        }

        Line append(char c) {
            if (c < 0x80 && chars == null) {
                if (length == bytes.length) {
                    reserve(1);
                }
                bytes[length++] = (byte) c;
            } else {
                wide().append(c);
            }
            return this;
        }

        /** Appends s as it is. */
        Line append(String s) {
            if (chars != null) {
                chars.append(s);
                return this;
            }
            int n = s.length();
            reserve(n);
            byte[] b = bytes;
            int p = length;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    length = p + i;
                    wide().append(s, i, n);
                    return this;
                }
                b[p + i] = (byte) c;
            }
            length = p + n;
            return this;
        }

        /** Appends v in decimal, as {@link Long#toString(long)} does. */
        Line append(long v) {
            if (chars != null) {
                chars.append(v);
                return this;
            }
            if (v == Long.MIN_VALUE) {
                return append(Long.toString(v));
            }
            reserve(20);
            byte[] b = bytes;
            int p = length;
            if (v < 0) {
                b[p++] = '-';
                v = -v;
            }
            int end = p + digits(v);
            int pos = end;
            while (v > Integer.MAX_VALUE) {
                long q = v / 100;
                int r = (int) (v - q * 100);
                v = q;
                b[--pos] = ONES[r];
                b[--pos] = TENS[r];
            }
            int i = (int) v;
            while (i >= 100) {
                int q = i / 100;
                int r = i - q * 100;
                i = q;
                b[--pos] = ONES[r];
                b[--pos] = TENS[r];
            }
            if (i >= 10) {
                b[--pos] = ONES[i];
                b[--pos] = TENS[i];
            } else {
                b[--pos] = (byte) ('0' + i);
            }
            length = end;
            return this;
        }

        /** How many decimal digits v (not negative) has. */
        private static int digits(long v) {
            long limit = 10;
            for (int n = 1; n < 19; n++) {
                if (v < limit) {
                    return n;
                }
                limit *= 10;
            }
            return 19;
        }

        /** Appends s bare if it is a plain token, else quoted with escapes. */
        void token(String s) {
            int n = s.length();
            if (chars == null && n > 0) {
                // copy while checking: a plain token is ASCII, so its chars are its bytes
                reserve(n);
                byte[] b = bytes;
                int p = length;
                for (int i = 0; i < n; i++) {
                    char c = s.charAt(i);
                    if (c >= 0x80 || !PLAIN[c]) {
                        quoted(s);
                        return;
                    }
                    b[p + i] = (byte) c;
                }
                length = p + n;
            } else if (isPlain(s)) {
                append(s);
            } else {
                quoted(s);
            }
        }

        private void quoted(String s) {
            append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> append("\\\"");
                    case '\\' -> append("\\\\");
                    case '\n' -> append("\\n");
                    case '\r' -> append("\\r");
                    case '\t' -> append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            append(String.format("\\u%04x", (int) c));
                        } else {
                            append(c);
                        }
                    }
                }
            }
            append('"');
        }

        private static boolean isPlain(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || !PLAIN[c]) {
                    return false;
                }
            }
            return true;
        }

        /** The current line as chars, from now on. */
        private StringBuilder wide() {
            if (chars == null) {
                chars = new StringBuilder(length - ended + 32)
                        .append(new String(bytes, ended, length - ended, StandardCharsets.ISO_8859_1));
            }
            return chars;
        }

        /** Makes room for n more bytes. */
        private void reserve(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }
    }
}
