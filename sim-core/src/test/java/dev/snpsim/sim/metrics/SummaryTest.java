package dev.snpsim.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private final Metrics metrics = new Metrics(false);

    @Test
    void keepsExactCountSumMinAndMax() {
        Summary s = metrics.summary("psp/wait/vm-0");
        for (long v : new long[] {8_000_000L, 0, 312_000_000L, 16_000_000L}) {
            s.record(v);
        }
        assertThat(s.snapshot()).isEqualTo(new Summary.Snapshot(4, 336_000_000L, 0, 312_000_000L));
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.sum()).isEqualTo(336_000_000L);
        assertThat(s.min()).isZero();
        assertThat(s.max()).isEqualTo(312_000_000L);
        assertThat(s.mean()).isEqualTo(84_000_000.0);
        assertThat(s).hasToString("count=4 sum=336000000 min=0 max=312000000");
    }

    @Test
    void anEmptySummaryReadsZeroAndItsMeanIsNaN() {
        Summary s = metrics.summary("x");
        assertThat(s.snapshot()).isEqualTo(new Summary.Snapshot(0, 0, 0, 0));
        assertThat(s.mean()).isNaN();
    }

    @Test
    void negativeValuesAreMinimaToo() {
        Summary s = metrics.summary("x");
        s.record(-5);
        s.record(-9);
        assertThat(s.snapshot()).isEqualTo(new Summary.Snapshot(2, -14, -9, -5));
    }

    @Test
    void hugeValuesNeitherGrowItNorWrapTheSum() {
        Summary s = metrics.summary("x");
        long year = Duration.ofDays(365).toNanos();
        s.record(Long.MAX_VALUE - 1);
        s.record(year);
        assertThat(s.sum()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.max()).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(s.min()).isEqualTo(year);
        Summary n = metrics.summary("y");
        n.record(Long.MIN_VALUE + 1);
        n.record(-2);
        assertThat(n.sum()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void resetForgetsEverything() {
        Summary s = metrics.summary("x");
        s.record(7);
        s.reset();
        assertThat(s.snapshot()).isEqualTo(new Summary.Snapshot(0, 0, 0, 0));
        s.record(3);
        assertThat(s.snapshot()).isEqualTo(new Summary.Snapshot(1, 3, 3, 3));
    }

    @Test
    void isKeptPerKeyAndIteratedInSortedOrder() {
        for (String k : List.of("vm-10", "vm-2", "psp", "vm-1")) {
            metrics.summary(k).record(1);
        }
        assertThat(metrics.summary("vm-2")).isSameAs(metrics.summary("vm-2"));
        assertThat(metrics.summaries().keySet()).containsExactly("psp", "vm-1", "vm-10", "vm-2");
    }
}
