package dev.snpsim.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WindowedHistogramTest {
    /** A plain histogram of the same precision, to compare a window with. */
    private static Histogram plain() {
        Histogram h = new Histogram(Metrics.SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    /** A latency drawn log-uniformly from 10 us to 60 s. */
    private static long latency(SplittableRandom r) {
        return (long) Math.exp(r.nextDouble(Math.log(10_000), Math.log(60e9)));
    }

    @Test
    void valuesLandInTheWindowOfTheirTimeAndGiveThatWindowsPercentiles() {
        Metrics m = new Metrics(false);
        WindowedHistogram w = m.windowedHistogram("lat", Duration.ofSeconds(1));
        for (int i = 1; i <= 100; i++) {
            w.record(500_000_000L, i * 1_000_000L);    // window 0: 1..100 ms
        }
        w.record(2_999_999_999L, 7_000_000L);          // window 2, last nanosecond
        List<WindowedHistogram.Window> ws = w.windows();
        assertThat(ws).extracting(WindowedHistogram.Window::startNanos).containsExactly(0L, 2_000_000_000L);
        assertThat(ws.get(0).histogram().getValueAtPercentile(99)).isBetween(98_900_000L, 99_100_000L);
        assertThat(ws.get(1).histogram().getTotalCount()).isEqualTo(1);
        assertThat(m.windowedHistogram("lat", Duration.ofSeconds(1))).isSameAs(w);
        assertThat(m.windowedHistograms()).containsKey("lat");
    }

    @Test
    void aWindowGivesTheFiguresOfAPlainHistogramInAFractionOfTheMemory() {
        Metrics m = new Metrics(false);
        WindowedHistogram w = m.windowedHistogram("lat", Duration.ofSeconds(1));
        Histogram plain = plain();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20; i++) {
            long v = latency(r);
            w.record(i, v);
            plain.recordValue(v);
        }
        Histogram window = w.windows().get(0).histogram();
        for (double p : new double[] {0, 10, 50, 90, 99, 99.9, 100}) {
            assertThat(window.getValueAtPercentile(p)).as("p%s", p).isEqualTo(plain.getValueAtPercentile(p));
        }
        assertThat(window.getTotalCount()).isEqualTo(20);
        assertThat(window.getMean()).isEqualTo(plain.getMean());
        assertThat(window.getMaxValue()).isEqualTo(plain.getMaxValue());
        Histogram sum = new Histogram(Metrics.SIGNIFICANT_DIGITS);
        sum.add(window);
        assertThat(sum).isEqualTo(plain);
        assertThat(window.getEstimatedFootprintInBytes()).as("bytes of the window")
                .isLessThan(plain.getEstimatedFootprintInBytes() / 10);
    }

    @Test
    void aWindowPastItsRawLimitGivesTheSameFiguresAsAPlainHistogram() {
        Metrics m = new Metrics(false);
        WindowedHistogram w = m.windowedHistogram("lat", Duration.ofSeconds(1));
        Histogram plain = plain();
        SplittableRandom r = new SplittableRandom(11);
        int n = 3 * WindowedHistogram.RAW_LIMIT + 5;
        for (int i = 0; i < n; i++) {
            long v = latency(r);
            w.record(1_000_000_000L + i, v);   // all in window 1
            plain.recordValue(v);
            if (i == WindowedHistogram.RAW_LIMIT - 1) {
                assertThat(w.windows().get(0).histogram().getTotalCount()).isEqualTo(i + 1); // read while raw
            }
        }
        w.record(5, 42); // an earlier window after a later one
        List<WindowedHistogram.Window> ws = w.windows();
        assertThat(ws).extracting(WindowedHistogram.Window::startNanos).containsExactly(0L, 1_000_000_000L);
        assertThat(ws.get(0).histogram().getTotalCount()).isEqualTo(1);
        Histogram sum = new Histogram(Metrics.SIGNIFICANT_DIGITS);
        sum.add(ws.get(1).histogram());
        assertThat(sum).isEqualTo(plain);
    }

    @Test
    void spansAddTheirWindowsInPlaceAsTheirCopiesWould() {
        Metrics m = new Metrics(false);
        WindowedHistogram w = m.windowedHistogram("lat", Duration.ofSeconds(1));
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < 20; i++) {
            w.record(i, latency(r));                                       // window 0: raw
        }
        for (int i = 0; i < 2 * WindowedHistogram.RAW_LIMIT; i++) {
            w.record(3_000_000_000L + i, latency(r));                      // window 3: packed
        }
        List<WindowedHistogram.Window> copies = w.windows();
        List<WindowedHistogram.Span> spans = w.spans();
        assertThat(spans).extracting(WindowedHistogram.Span::startNanos).containsExactly(0L, 3_000_000_000L);
        Histogram merged = new Histogram(Metrics.SIGNIFICANT_DIGITS);
        Histogram expected = new Histogram(Metrics.SIGNIFICANT_DIGITS);
        for (int k = 0; k < spans.size(); k++) {
            Histogram one = new Histogram(Metrics.SIGNIFICANT_DIGITS);
            spans.get(k).addTo(one);
            assertThat(one).as("window %d", k).isEqualTo(plainOf(copies.get(k).histogram()));
            spans.get(k).addTo(merged);
            expected.add(copies.get(k).histogram());
        }
        assertThat(merged).isEqualTo(expected);
        assertThat(merged.getTotalCount()).isEqualTo(20 + 2 * WindowedHistogram.RAW_LIMIT);
    }

    private static Histogram plainOf(Histogram h) {
        Histogram p = new Histogram(Metrics.SIGNIFICANT_DIGITS);
        p.add(h);
        return p;
    }

    @Test
    void aKeyKeepsItsWindow() {
        Metrics m = new Metrics(false);
        m.windowedHistogram("lat", Duration.ofSeconds(1));
        assertThatThrownBy(() -> m.windowedHistogram("lat", Duration.ofSeconds(2))).hasMessageContaining("has window");
    }
}
