package dev.snpsim.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The JVM's own threads' CPU, read from /proc. */
class VmThreadsTest {
    @Test
    void readsUserAndSystemTicksPastACommandWithSpacesAndParentheses() {
        String stat = "4242 (C2 Compiler (x)) S 1 4242 4242 0 -1 4194368 500 0 0 0 731 29 0 0 20 0 1 0 100 0 0";
        assertThat(VmThreads.ticks(stat)).isEqualTo(760);
    }

    @Test
    void theCompilersHaveRunInThisJvmAndTheFiguresOnlyGrow() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc/self/task (not Linux): nothing to read");
        VmThreads before = VmThreads.now();
        assertThat(before).isNotNull();
        assertThat(before.jitSeconds()).as("a JVM that ran the test framework has compiled something").isPositive();
        VmThreads after = VmThreads.now();
        VmThreads d = VmThreads.since(before, after);
        assertThat(d.jitSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(d.gcSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(VmThreads.since(null, after)).isNull();
    }
}
