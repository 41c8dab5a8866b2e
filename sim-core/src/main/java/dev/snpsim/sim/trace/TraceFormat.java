package dev.snpsim.sim.trace;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
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
 */
final class TraceFormat {

    private static final HexFormat HEX = HexFormat.of();

    private TraceFormat() {
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
