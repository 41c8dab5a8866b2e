package dev.snpsim.bench.sim;

import dev.snpsim.sim.trace.Trace;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The trace events of one attestation (14 records, as the reference scenario records them),
 * through {@link Trace#record} ({@code current}) and through the former String-based record
 * ({@code former}: format a String, append a newline, encode a fresh byte[], digest), both without
 * a trace file. {@link #main} runs both alternately in one JVM and prints the ratio, which is
 * what to look at on a shared machine:
 * {@code java -cp '<build>/benchmarks-*.jar:<build>/lib/*' dev.snpsim.bench.sim.TraceRecordBenchmark [rounds]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TraceRecordBenchmark {
    /** Records per {@link #attestation}. */
    public static final int RECORDS = 14;

    enum Kind { EXTENDED_REPORT }

    enum Profile { COCO }

    enum LockMode { SHARED }

    enum Status { GRANTED, OK, SUCCESS, VERIFIED }

    /** What the simulator calls: Trace or the former one. */
    interface Recorder {
        void record(String entity, String kind, Object... keyValuePairs);
    }

    private long now;
    private long seqno;
    private Trace current;
    private FormerTrace former;

    @Setup
    public void setUp() {
        current = new Trace(() -> now, null);
        former = new FormerTrace(() -> now);
    }

    @Benchmark
    public Object current() {
        attestation(current::record);
        return current;
    }

    @Benchmark
    public Object former() {
        attestation(former::record);
        return former;
    }

    /** The events of one extended-report attestation, values of the types the actors pass. */
    private void attestation(Recorder trace) {
        now += 13_058_169_261L;
        long s = seqno += 2;
        int desc = (int) (s / 2);
        trace.record("fleet-0/workload", "request", "kind", Kind.EXTENDED_REPORT, "pages", 4);
        trace.record("fleet-0/driver", "vmgexit", "seqno", s, "exit", 2147483666L, "busy", 0);
        trace.record("fleet-0/vcpu-0", "cert-exit", "profile", Profile.COCO, "gpa", "0x3fc000", "npages", 4L);
        trace.record("certstore", "open", "desc", desc);
        trace.record("certstore", "lock", "desc", desc, "mode", LockMode.SHARED, "status", Status.GRANTED);
        trace.record("certstore", "read", "desc", desc, "status", Status.OK, "bytes", 4773);
        trace.record("fleet-0/vmm", "answer", "vcpu", 0, "answer", Status.OK, "why", "wrote 4773 bytes");
        trace.record("fleet-0/vcpu-0", "userspace-return", "completion", "IssueRequest", "immediate-exit", true);
        trace.record("psp", "cmd-done", "cmd", "SNP_GUEST_REQUEST", "vm", "fleet-0", "status", Status.SUCCESS,
                "wait", 0L, "service", 8_000_000L);
        trace.record("fleet-0/vcpu-0", "vmgexit-done", "exit-info2", "0x0", "rbx", 4L, "why", "firmware SUCCESS");
        trace.record("fleet-0/driver", "done", "seqno", s);
        trace.record("fleet-0/vmm", "run-returned", "vcpu", 0, "errno", "EINTR");
        trace.record("certstore", "close", "desc", desc);
        trace.record("fleet-0/workload", "report", "outcome", Status.VERIFIED, "latency", 8_000_000L);
    }

    /** Alternates rounds of both in this JVM; prints ns per record and current/former. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int attestations = 200_000;
        TraceRecordBenchmark a = new TraceRecordBenchmark(); // each with its own clock and sequence
        TraceRecordBenchmark b = new TraceRecordBenchmark();
        a.setUp();
        b.setUp();
        for (int i = 0; i < attestations; i++) { // warm up both
            a.current();
            b.former();
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double formerNs = time(b::former, attestations);
            double currentNs = time(a::current, attestations);
            ratios[r] = currentNs / formerNs;
            System.out.printf(Locale.ROOT, "round %2d: former %6.1f ns/record, current %6.1f ns/record, ratio %.3f%n",
                    r, formerNs, currentNs, ratios[r]);
        }
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "median current/former %.3f (min %.3f, max %.3f)%n",
                ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
        if (!a.current.digestHex().equals(b.former.digestHex())) {
            throw new IllegalStateException("the two traces differ: " + a.current.digestHex() + " vs "
                    + b.former.digestHex());
        }
        System.out.println("digests equal: " + a.current.digestHex());
    }

    private static double time(Runnable attestation, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            attestation.run();
        }
        return (System.nanoTime() - start) / (double) n / RECORDS;
    }

    /** Trace.record and TraceFormat as they were before lines were built as bytes (no file). */
    static final class FormerTrace {
        private static final HexFormat HEX = HexFormat.of();
        private final java.util.function.LongSupplier clock;
        private final MessageDigest sha256;
        private long events;

        FormerTrace(java.util.function.LongSupplier clock) {
            this.clock = clock;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void record(String entity, String kind, Object... keyValuePairs) {
            String line = line(clock.getAsLong(), entity, kind, keyValuePairs);
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                sha256.update(bytes);
                events++;
            }
        }

        synchronized String digestHex() {
            try {
                return HEX.formatHex(((MessageDigest) sha256.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
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
                List<String> items = new ArrayList<>(set.size());
                for (Object o : set) {
                    StringBuilder e = new StringBuilder();
                    value(e, o);
                    items.add(e.toString());
                }
                items.sort(null);
                sb.append('[').append(String.join(",", items)).append(']');
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
            } else {
                token(sb, v.toString());
            }
        }

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
