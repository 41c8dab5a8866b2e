package dev.snpsim.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Compares two trace files line by line. */
public final class TraceDiff {

    /**
     * The first event where two traces differ.
     *
     * @param line 1-based line number
     * @param a the line in the first trace, or null if it ended before
     * @param b the line in the second trace, or null if it ended before
     */
    public record Divergence(long line, String a, String b) {
        @Override
        public String toString() {
            return "traces diverge at line " + line + ":\n  a: " + (a == null ? "<end of trace>" : a)
                    + "\n  b: " + (b == null ? "<end of trace>" : b);
        }
    }

    private TraceDiff() {
    }

    /** The first differing event of two trace files, or empty if they are equal. */
    public static Optional<Divergence> firstDivergence(Path a, Path b) throws IOException {
        try (BufferedReader ra = Files.newBufferedReader(a, StandardCharsets.UTF_8);
                BufferedReader rb = Files.newBufferedReader(b, StandardCharsets.UTF_8)) {
            long line = 0;
            while (true) {
                String la = ra.readLine();
                String lb = rb.readLine();
                line++;
                if (la == null && lb == null) {
                    return Optional.empty();
                }
                if (la == null || !la.equals(lb)) {
                    return Optional.of(new Divergence(line, la, lb));
                }
            }
        }
    }
}
