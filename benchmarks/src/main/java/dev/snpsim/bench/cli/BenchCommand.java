package dev.snpsim.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.snpsim.bench.suite.Suite;
import dev.snpsim.scenario.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code snpsim bench}: how close the simulator runs to the crypto floor, and how far it scales. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the floor (ECDSA P-384 sign + verify in a plain loop, one core and all cores), the "
                + "reference scenario in virtual time (attestations per wall second, ratio to the floor, speed-up), "
                + "a sparse day, the host flat out on the wall clock, the largest fleet a 4 GiB heap runs, and the "
                + "JMH micro-benchmarks. Prints figures; asserts nothing about speed.",
            "Progress goes to stderr; the table (or --json) to stdout."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "About a minute, safe for CI: 3 simulated minutes of the reference, "
            + "a 200-guest scale probe, no JMH.")
    boolean quick;

    @Option(names = "--json", description = "Print the figures as one JSON object instead of the table.")
    boolean json;

    @Option(names = "--guests", description = "Guests in the reference scenario (default 1000).")
    Integer guests;

    @Option(names = "--duration", description = "Simulated time of the reference scenario (default 1h; --quick 3m).")
    String duration;

    @Option(names = "--floor-seconds", description = "Wall seconds each floor measurement loops (default 5; --quick 2).")
    Integer floorSeconds;

    @Option(names = "--realtime-seconds", description = "Wall seconds of the flat-out real-time run (default 20; "
            + "--quick 5).")
    Integer realtimeSeconds;

    @Option(names = "--scale", split = ",", description = "Guest counts the scale probe tries in order, stopping at "
            + "the first failure (default 1000,5000,10000,20000,40000; --quick 200); 0 skips it.")
    List<Integer> scale;

    @Option(names = "--scale-duration", description = "Simulated time of each scale probe (default 1h; --quick 10m).")
    String scaleDuration;

    @Option(names = "--heap", description = "Heap of the scale probe's JVM (default 4g).")
    String heap;

    @Option(names = "--no-micro", description = "Skip the JMH micro-benchmarks.")
    boolean noMicro;

    @Option(names = "--work-dir", description = "Where certificate blob files and probe logs go (default: a temp dir).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("snpsim-bench-");
        Suite.Settings base = quick ? Suite.Settings.quick(dir) : Suite.Settings.full(dir);
        Suite.Settings s = new Suite.Settings(
                floorSeconds == null ? base.floorWindow() : Duration.ofSeconds(positive("--floor-seconds", floorSeconds)),
                guests == null ? base.guests() : positive("--guests", guests),
                duration == null ? base.reference() : duration("--duration", duration),
                base.sparseSpan(),
                base.realtimeGuests(),
                realtimeSeconds == null ? base.realtimeSpan()
                        : Duration.ofSeconds(positive("--realtime-seconds", realtimeSeconds)),
                scale == null ? base.scaleCounts() : scale.stream().filter(n -> n > 0).toList(),
                scaleDuration == null ? base.scaleSpan() : duration("--scale-duration", scaleDuration),
                heap == null ? base.scaleHeap() : heap,
                base.scaleCap(),
                base.micro() && !noMicro,
                dir);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> figures = new Suite(s, spec.commandLine().getErr()).run();
        figures.put("quick", quick);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures));
        } else {
            Table.print(figures, out);
        }
        out.flush();
        cleanUp(dir);
        return 0;
    }

    private static int positive(String option, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(option + " is " + v + " (expected: a positive number)");
        }
        return v;
    }

    private static Duration duration(String option, String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (d.toSeconds() < 1) {
            throw new IllegalArgumentException(option + " is '" + text + "' (expected: at least 1s)");
        }
        return d;
    }

    /** Deletes the blob files and logs a temp work dir holds; a user-given dir is left as it is. */
    private void cleanUp(Path dir) throws IOException {
        if (workDir != null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
