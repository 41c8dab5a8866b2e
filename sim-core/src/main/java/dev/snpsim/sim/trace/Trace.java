package dev.snpsim.sim.trace;

import dev.snpsim.sim.SimClock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The simulation's event trace: every event is rendered as one canonical UTF-8 line
 * {@code <ns> <entity> <kind>[ key=value]...\n}, folded into a running SHA-256 and, if
 * {@code snpsim.sim.trace-file} is set, appended to that file. Two runs with the same seed give
 * the same digest byte for byte; {@link TraceDiff} finds where two trace files part.
 *
 * <pre>{@code
 * Trace.get(context.getSystem()).record("psp", "cmd-done", "cmd", "SNP_GUEST_REQUEST", "vm", 3);
 * }</pre>
 *
 * <p>Values: numbers, strings, booleans, enums (name), {@code byte[]} (hex), durations (ns),
 * actor references (path, no uid), optionals, lists, sets and maps (sorted) and records (field
 * by field). Anything else is rendered with {@code toString()}, which must then be stable.
 */
public final class Trace implements Extension, AutoCloseable {

    private static final ExtensionId<Trace> ID = new ExtensionId<>() {
        @Override
        public Trace createExtension(ActorSystem<?> system) {
            String file = system.settings().config().getString("snpsim.sim.trace-file");
            SimClock clock = SimClock.get(system);
            return new Trace(clock::now, file.isEmpty() ? null : Path.of(file));
        }
    };

    /** The trace of this actor system. */
    public static Trace get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Ended lines are digested once this many bytes have gathered (or the digest is read). */
    private static final int DIGEST_BATCH = 4096;

    private final LongSupplier clock;
    private final MessageDigest sha256;
    private final BufferedWriter out;
    private final Path file;
    /** Where lines are built and wait to be digested; guarded by this trace's lock. */
    private final TraceFormat.Line lines = new TraceFormat.Line();
    /** Whether a line is being built in {@link #lines}. */
    private boolean formatting;
    private long events;
    private boolean closed;

    /**
     * A trace outside an actor system (e.g. for tests of pure logic).
     *
     * @param clock the time stamped on each event, in ns
     * @param file where lines are written, or null
     */
    public Trace(LongSupplier clock, Path file) {
        this.clock = clock;
        this.file = file;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try {
            this.out = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open trace file " + file, e);
        }
    }

    /**
     * Records an event at the current simulated time.
     *
     * @param entity who (a stable id such as {@code psp} or {@code vm-3/vcpu-0})
     * @param kind what happened
     * @param keyValuePairs alternating string keys and values
     * @throws IllegalArgumentException if the pairs are uneven or a key is not a string
     */
    public void record(String entity, String kind, Object... keyValuePairs) {
        long nanos = clock.getAsLong();
        synchronized (this) {
            TraceFormat.Line line = lines;
            boolean nested = formatting;
            if (nested) {
                // a value's toString records an event itself: what has ended goes first, then
                // this event, then the one whose value it was (as when lines were formatted
                // before taking the lock)
                line.drain(sha256);
                line = new TraceFormat.Line();
            }
            formatting = true;
            try {
                line.begin();
                TraceFormat.line(line, nanos, entity, kind, keyValuePairs);
                line.append('\n');
                String text = out != null && !closed ? line.text() : null;
                line.end();
                events++;
                if (nested || line.pending() >= DIGEST_BATCH) {
                    line.drain(sha256);
                }
                if (text != null) {
                    try {
                        out.write(text);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write trace file " + file, e);
                    }
                }
            } finally {
                formatting = nested;
            }
        }
    }

    /** SHA-256 of all lines recorded so far, lowercase hex. */
    public synchronized String digestHex() {
        lines.drain(sha256);
        try {
            MessageDigest copy = (MessageDigest) sha256.clone();
            return HexFormat.of().formatHex(copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("sha-256 digest cannot be cloned", e);
        }
    }

    /** Number of events recorded. */
    public synchronized long events() {
        return events;
    }

    /** The trace file, or null. */
    public Path file() {
        return file;
    }

    /** Flushes the trace file. */
    public synchronized void flush() {
        if (out != null && !closed) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write trace file " + file, e);
            }
        }
    }

    /** Flushes and closes the file; the digest stays readable. Idempotent. */
    @Override
    public synchronized void close() {
        if (out != null && !closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close trace file " + file, e);
            }
        }
    }
}
