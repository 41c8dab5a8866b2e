package dev.snpsim.bench.suite;

import dev.snpsim.scenario.results.PointResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * How many guests one JVM with a fixed heap runs for a simulated hour. Each probe is a child
 * JVM ({@code -Xmx<heap>}) running the reference scenario's shape (4 vCPUs per guest, extended
 * reports) at a lower per-guest rate, so that one PSP at 8 ms stays below saturation even at
 * 10,000 guests; it prints one line the parent parses. The parent raises the guest count until
 * a probe fails (out of memory, or past the wall-time cap).
 */
public final class ScaleProbe {
    /** One request per guest per 10 simulated minutes: 10,000 guests ask 16.7 times a second. */
    static final double RATE = 1.0 / 600;
    private static final String PREFIX = "scale-probe ";

    private ScaleProbe() {
    }

    /** A probe's outcome; {@code heapBytes}: the heap in use after a full GC at the end of the run, guests alive. */
    public record Result(int guests, boolean ok, String why, double wallSeconds, long verified, long heapBytes,
                         long baselineHeapBytes) {
        /** Heap per guest: used heap at the end minus the heap before the host started, over the guests. */
        public double heapPerGuestBytes() {
            return (heapBytes - baselineHeapBytes) / (double) guests;
        }
    }

    /**
     * Child entry point: {@code ScaleProbe guests seconds workDir}. With
     * {@code -Dsnpsim.scale.histogram=<file>} it also writes the live heap's class histogram
     * (as {@code jcmd <pid> GC.class_histogram}) at the end of the run, guests alive.
     */
    public static void main(String[] args) {
        int guests = Integer.parseInt(args[0]);
        Duration span = Duration.ofSeconds(Long.parseLong(args[1]));
        Macro macro = new Macro(Path.of(args[2]));
        macro.run(Macro.referenceYaml(2, Duration.ofSeconds(60), 1.0 / 5), false); // keys and classes loaded
        long baseline = usedAfterGc();
        long[] used = {0};
        // the heap is measured at the end of the run, with every guest still alive (the
        // runner closes the simulation before it returns)
        PointResult r = macro.run(Macro.referenceYaml(guests, span, RATE), false, (simNanos, wallNanos, events) -> {
            if (simNanos >= span.toNanos() && used[0] == 0) {
                used[0] = usedAfterGc();
                writeClassHistogram(System.getProperty("snpsim.scale.histogram"));
            }
        });
        System.out.printf(Locale.ROOT, PREFIX + "guests=%d wall=%.3f verified=%d failed=%d heap=%d baseline=%d%n",
                guests, r.wallSeconds(), r.totals().verified(), r.totals().failed(), used[0], baseline);
    }

    private static void writeClassHistogram(String file) {
        if (file == null) {
            return;
        }
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Files.writeString(Path.of(file), String.valueOf(text), StandardCharsets.UTF_8);
        } catch (JMException | IOException e) {
            System.err.println("scale probe: cannot write the class histogram to " + file + ": " + e);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    /**
     * Runs one probe in a child JVM with the given heap and the parent's class path; gives up
     * after {@code cap} of wall time.
     */
    public static Result probe(int guests, Duration span, String heap, Duration cap, Path workDir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseParallelGC",
                // the simulation halts on an OutOfMemoryError, but a JVM out of heap may not get as
                // far as printing: end it at once
                "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), ScaleProbe.class.getName(),
                Integer.toString(guests), Long.toString(span.toSeconds()), workDir.toString()));
        try {
            Files.createDirectories(workDir);
            Path log = Files.createTempFile(workDir, "scale-" + guests + "-", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(cap.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(guests, false, "over the " + cap.toSeconds() + " s wall cap", cap.toSeconds(), 0, 0, 0);
            }
            return parse(guests, p.exitValue(), Files.readAllLines(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(guests, false, "cannot start the child jvm: " + e.getMessage(), 0, 0, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(guests, false, "interrupted", 0, 0, 0, 0);
        }
    }

    static Result parse(int guests, int exit, List<String> lines) {
        for (String line : lines) {
            if (line.startsWith(PREFIX)) {
                String[] kv = line.substring(PREFIX.length()).split(" ");
                double wall = Double.parseDouble(value(kv, "wall"));
                long failed = Long.parseLong(value(kv, "failed"));
                return new Result(guests, exit == 0 && failed == 0, failed == 0 ? "ok" : failed + " requests failed",
                        wall, Long.parseLong(value(kv, "verified")), Long.parseLong(value(kv, "heap")),
                        Long.parseLong(value(kv, "baseline")));
            }
        }
        boolean oom = lines.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
        String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        return new Result(guests, false, oom ? "out of memory" : "child exited " + exit + ": " + last, 0, 0, 0, 0);
    }

    private static String value(String[] kv, String key) {
        for (String s : kv) {
            if (s.startsWith(key + "=")) {
                return s.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("scale probe line lacks " + key);
    }

    /** Probes the counts in order and stops at the first that fails; returns every probe run. */
    public static List<Result> ladder(List<Integer> counts, Duration span, String heap, Duration cap, Path workDir) {
        List<Result> out = new ArrayList<>();
        for (int n : counts) {
            Result r = probe(n, span, heap, cap, workDir);
            out.add(r);
            if (!r.ok()) {
                break;
            }
        }
        return out;
    }
}
