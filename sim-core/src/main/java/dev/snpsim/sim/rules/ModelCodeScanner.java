package dev.snpsim.sim.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds calls that break determinism in model code (DESIGN.md "Time"): wall clocks, sleeping,
 * unseeded randomness and threads outside the simulation. Comments and string literals are
 * ignored, so documentation may name the banned calls.
 */
public final class ModelCodeScanner {

    /**
     * One banned use.
     *
     * @param file the source file
     * @param line 1-based line number
     * @param rule what is banned and what to use instead
     * @param text the offending line, trimmed
     */
    public record Violation(Path file, int line, String rule, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + rule + ": " + text;
        }
    }

    private record Rule(Pattern pattern, String message) {
    }

    private static final List<Rule> RULES = List.of(
            rule("\\bSystem\\s*\\.\\s*nanoTime\\b", "System.nanoTime (use SimClock)"),
            rule("\\bSystem\\s*\\.\\s*currentTimeMillis\\b", "System.currentTimeMillis (use SimClock)"),
            rule("\\bInstant\\s*\\.\\s*now\\s*\\(", "Instant.now( (use SimClock)"),
            rule("\\bThread\\s*\\.\\s*sleep\\b", "Thread.sleep (use a Pekko timer)"),
            rule("\\bThreadLocalRandom\\b", "ThreadLocalRandom (use SimRandom)"),
            rule("\\bnew\\s+(java\\s*\\.\\s*util\\s*\\.\\s*)?Random\\s*\\(", "new Random( (use SimRandom)"),
            rule("\\bCompletableFuture\\s*\\.\\s*(supplyAsync|runAsync)\\b",
                    "CompletableFuture async (escapes the simulation thread; use pipeToSelf)"),
            rule("\\bAskPattern\\s*\\.\\s*ask(WithStatus)?\\b",
                    "AskPattern.ask (its stage runs callbacks on another thread; use SimAsk)"),
            rule("\\.\\s*(ask|askWithStatus)\\s*\\(\\s*[\\w.]+\\.class\\b",
                    "ActorContext.ask (the reply comes back through another thread; use SimAsk.ask)"),
            rule("\\bimport\\s+static\\s+java\\.lang\\.(System\\.(nanoTime|currentTimeMillis)|Thread\\.sleep)\\b",
                    "static import of a wall clock or sleep"));

    private ModelCodeScanner() {
    }

    private static Rule rule(String regex, String message) {
        return new Rule(Pattern.compile(regex), message);
    }

    /**
     * Scans every {@code .java} file under root, in sorted path order.
     *
     * @param excluded files to skip (e.g. a native package that really runs on wall time)
     */
    public static List<Violation> scan(Path root, Predicate<Path> excluded) {
        List<Violation> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).filter(excluded.negate()).sorted()
                    .toList()) {
                out.addAll(scanFile(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root, e);
        }
        return out;
    }

    /** Scans one source file. */
    public static List<Violation> scanFile(Path file) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String[] code = JavaCodeOnly.strip(source).split("\n", -1);
        String[] original = source.split("\n", -1);
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < code.length; i++) {
            for (Rule r : RULES) {
                Matcher m = r.pattern().matcher(code[i]);
                if (m.find()) {
                    out.add(new Violation(file, i + 1, r.message(), original[i].trim()));
                }
            }
        }
        return out;
    }
}
