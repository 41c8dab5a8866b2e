package dev.snpsim.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final Metrics metrics = new Metrics(false);

    @Test
    void histogramPercentilesAreWithinThreeSignificantDigits() {
        Histogram h = metrics.histogram("latency/tenant-1");
        for (long ms = 1; ms <= 1000; ms++) {
            h.recordValue(ms * 1_000_000L);
        }
        assertThat(h.getTotalCount()).isEqualTo(1000);
        assertThat((double) h.getValueAtPercentile(50)).isCloseTo(500e6, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat((double) h.getValueAtPercentile(99)).isCloseTo(990e6, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat((double) h.getMaxValue()).isCloseTo(1000e6, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(h.getMean()).isCloseTo(500.5e6, org.assertj.core.data.Percentage.withPercentage(0.1));
    }

    @Test
    void histogramGrowsForHugeValuesAndIsKeptPerKey() {
        Histogram h = metrics.histogram("a");
        h.recordValue(Duration.ofDays(30).toNanos());
        assertThat(metrics.histogram("a")).isSameAs(h);
        assertThat(metrics.histogram("b").getTotalCount()).isZero();
        assertThat(new Metrics(true).histogram("c")).isInstanceOf(ConcurrentHistogram.class);
    }

    @Test
    void countersCount() {
        metrics.counter("busy/tenant-1").increment();
        metrics.counter("busy/tenant-1").add(41);
        assertThat(metrics.counter("busy/tenant-1").get()).isEqualTo(42);
    }

    @Test
    void keysIterateInSortedOrder() {
        for (String k : List.of("vm-10", "vm-2", "psp", "vm-1")) {
            metrics.counter(k).increment();
            metrics.histogram(k).recordValue(1);
            metrics.timeSeries(k, Duration.ofSeconds(1)).record(0, 1);
        }
        assertThat(metrics.counters().keySet()).containsExactly("psp", "vm-1", "vm-10", "vm-2");
        assertThat(metrics.histograms().keySet()).containsExactly("psp", "vm-1", "vm-10", "vm-2");
        assertThat(metrics.timeSeries().keySet()).containsExactly("psp", "vm-1", "vm-10", "vm-2");
    }

    @Test
    void timeSeriesAggregatesPerFixedWindow() {
        TimeSeries ts = metrics.timeSeries("psp/queue", Duration.ofSeconds(1));
        ts.record(0, 5);
        ts.record(999_999_999L, 1);
        ts.record(1_000_000_000L, 7);
        ts.record(3_500_000_000L, -2);
        ts.record(3_600_000_000L, 4);
        assertThat(ts.windows()).containsExactly(
                new TimeSeries.Window(0, 2, 6, 1, 5),
                new TimeSeries.Window(1_000_000_000L, 1, 7, 7, 7),
                new TimeSeries.Window(3_000_000_000L, 2, 2, -2, 4));
        assertThat(ts.windows().get(0).mean()).isEqualTo(3.0);
        List<TimeSeries.Window> dense = ts.windowsUntil(4_000_000_000L);
        assertThat(dense).hasSize(5);
        assertThat(dense.get(2)).isEqualTo(new TimeSeries.Window(2_000_000_000L, 0, 0, 0, 0));
        assertThat(dense.get(2).mean()).isNaN();
        assertThat(dense.get(4).count()).isZero();
    }

    @Test
    void timeSeriesGoingBackToAnEarlierWindowAddsToThatWindow() {
        TimeSeries ts = metrics.timeSeries("psp/queue", Duration.ofSeconds(1));
        ts.record(2_500_000_000L, 3);
        ts.record(500_000_000L, 9);
        ts.record(2_900_000_000L, 1);
        ts.record(0, -4);
        ts.record(2_000_000_000L, 8);
        assertThat(ts.windows()).containsExactly(
                new TimeSeries.Window(0, 2, 5, -4, 9),
                new TimeSeries.Window(2_000_000_000L, 3, 12, 1, 8));
    }

    @Test
    void timeSeriesRejectsAnotherWindowAndNegativeInstants() {
        TimeSeries ts = metrics.timeSeries("q", Duration.ofSeconds(1));
        assertThat(metrics.timeSeries("q", Duration.ofSeconds(1))).isSameAs(ts);
        assertThatThrownBy(() -> metrics.timeSeries("q", Duration.ofMillis(10)))
                .hasMessage("time series q has window 1000000000 ns (asked: 10000000 ns)");
        assertThatThrownBy(() -> ts.record(-1, 0)).hasMessage("time series q: instant is -1 ns (expected: >= 0)");
        assertThatThrownBy(() -> metrics.timeSeries("z", Duration.ZERO))
                .hasMessage("time series z window is 0 ns (expected: > 0)");
    }
}
