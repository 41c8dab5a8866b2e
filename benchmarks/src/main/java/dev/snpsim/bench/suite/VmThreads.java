package dev.snpsim.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of the JVM's own threads, from {@code /proc/self/task} (Linux): the JIT compilers
 * and the garbage collector. They compete with the simulation for the same cores, and unlike
 * Java threads they are invisible to {@link java.lang.management.ThreadMXBean}.
 *
 * @param jitSeconds CPU seconds of the compiler threads (C1, C2)
 * @param gcSeconds  CPU seconds of the collector's threads (G1 workers, refinement, marking) and
 *                   of the VM thread that runs its safepoints
 */
public record VmThreads(double jitSeconds, double gcSeconds) {
    /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    /** The totals so far, or null where {@code /proc/self/task} cannot be read (not Linux). */
    public static VmThreads now() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        long jit = 0;
        long gc = 0;
        try (Stream<Path> ts = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) ts::iterator) {
                String name;
                String stat;
                try {
                    name = Files.readString(t.resolve("comm")).trim();
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue;   // the thread ended meanwhile
                }
                long ticks = ticks(stat);
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jit += ticks;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
                    gc += ticks;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new VmThreads(jit / TICKS, gc / TICKS);
    }

    /** utime + stime of one {@code /proc/.../stat} line (fields 14 and 15, after the command in parentheses). */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** What was spent since {@code before}; null if either is. */
    public static VmThreads since(VmThreads before, VmThreads after) {
        return before == null || after == null ? null
                : new VmThreads(after.jitSeconds - before.jitSeconds, after.gcSeconds - before.gcSeconds);
    }
}
