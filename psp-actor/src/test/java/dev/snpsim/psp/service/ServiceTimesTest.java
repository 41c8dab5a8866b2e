package dev.snpsim.psp.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.snpsim.psp.CommandKind;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ServiceTimesTest {
    private static double sampleMean(ServiceTime t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            long x = t.sampleNanos(r);
            assertThat(x).isNotNegative();
            sum += x;
        }
        return sum / n;
    }

    @Test
    void samplesHaveTheDeclaredMean() {
        ServiceTime[] all = {new ServiceTimeFixed(Duration.ofMillis(8)), new ServiceTimeExponential(Duration.ofMillis(8)),
            new ServiceTimeUniform(Duration.ofMillis(5), Duration.ofMillis(15)),
            new ServiceTimeLogNormal(Duration.ofMillis(8), 0.5)};
        for (ServiceTime t : all) {
            assertThat(sampleMean(t, 1)).as(t.toString()).isCloseTo(t.meanNanos(), withinPercentage(1));
        }
    }

    @Test
    void theSameStreamGivesTheSameSamples() {
        ServiceTime t = new ServiceTimeExponential(Duration.ofMillis(8));
        assertThat(sampleMean(t, 3)).isEqualTo(sampleMean(t, 3)).isNotEqualTo(sampleMean(t, 4));
    }

    @Test
    void uniformStaysInItsRange() {
        ServiceTime t = new ServiceTimeUniform(Duration.ofMillis(5), Duration.ofMillis(15));
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.sampleNanos(r)).isBetween(5_000_000L, 15_000_000L);
        }
    }

    @Test
    void defaultsAndOverrides() {
        ServiceTimes d = ServiceTimes.defaults();
        assertThat(d.of(CommandKind.SNP_GUEST_REQUEST)).isEqualTo(ServiceTimeFixed.ofMillis(8));
        assertThat(d.asMap()).hasSize(CommandKind.values().length);
        ServiceTimes e = d.with(CommandKind.SNP_COMMIT, ServiceTimeFixed.ofMillis(1));
        assertThat(e.of(CommandKind.SNP_COMMIT).meanNanos()).isEqualTo(1e6);
        assertThat(d.of(CommandKind.SNP_COMMIT).meanNanos()).isEqualTo(5e6);
    }

    @Test
    void badParametersAreRefusedWithTheValue() {
        assertThatThrownBy(() -> new ServiceTimeUniform(Duration.ofMillis(5), Duration.ofMillis(4)))
                .hasMessageContaining("expected: 0 <= min <= max");
        assertThatThrownBy(() -> new ServiceTimeExponential(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new ServiceTimeLogNormal(Duration.ofMillis(1), -1)).hasMessageContaining("sigma -1");
    }
}
