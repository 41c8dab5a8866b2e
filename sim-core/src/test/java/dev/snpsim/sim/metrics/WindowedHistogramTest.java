package dev.snpsim.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedHistogramTest {
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
    void aKeyKeepsItsWindow() {
        Metrics m = new Metrics(false);
        m.windowedHistogram("lat", Duration.ofSeconds(1));
        assertThatThrownBy(() -> m.windowedHistogram("lat", Duration.ofSeconds(2))).hasMessageContaining("has window");
    }
}
