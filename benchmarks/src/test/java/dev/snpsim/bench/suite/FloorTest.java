package dev.snpsim.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The floor loop does real work that verifies, and counts it. */
class FloorTest {
    @Test
    void everyAttestationVerifies() {
        Floor.Worker w = new Floor.Worker(0);
        for (int i = 0; i < 5; i++) {
            w.once(); // throws if the report does not verify
        }
        assertThat(w.loop(1)).isPositive();
    }

    @Test
    void measuresAPositiveRate() {
        assertThat(Floor.attestationsPerSecond(1, Duration.ofMillis(200))).isPositive();
        assertThatThrownBy(() -> Floor.attestationsPerSecond(0, Duration.ofMillis(1)))
                .hasMessage("threads is 0 (expected: at least 1)");
    }
}
