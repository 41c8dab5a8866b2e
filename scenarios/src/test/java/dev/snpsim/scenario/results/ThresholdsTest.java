package dev.snpsim.scenario.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    private final JsonNode point = ResultsWriter.tree(SampleResults.point(99, 1, 0));

    @Test
    void comparesPathsAndArithmetic() {
        assertThat(Thresholds.evaluate("totals.staleCertificates == 0", point).passed()).isTrue();
        assertThat(Thresholds.evaluate("totals.verified > 1000", point).passed()).isFalse();
        assertThat(Thresholds.evaluate("tenants.victims.latencyMs.p99 < 2 * 25", point).passed()).isTrue();
        assertThat(Thresholds.evaluate("tenants.victims.latencyMs.p99 < 2 * 20", point).passed()).isFalse();
        assertThat(Thresholds.evaluate("psp.utilisation <= (1 - 0.05)", point).passed()).isTrue();
        assertThat(Thresholds.evaluate("fairness.jain >= 0.9", point).passed()).isFalse();
        var r = Thresholds.evaluate("totals.busy / totals.requests < 1", point);
        assertThat(r.left()).isEqualTo(8012.0 / 9600);
    }

    @Test
    void aBaselineIsReachableUnderItsName() {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) ResultsWriter.tree(SampleResults.point(99, 1, 0));
        tree.set("baseline", ResultsWriter.tree(SampleResults.point(99, 1, 0)));
        assertThat(Thresholds.evaluate("tenants.victims.latencyMs.p99 <= 2 * baseline.tenants.victims.latencyMs.p99",
                tree).passed()).isTrue();
    }

    @Test
    void unknownPathAndBadSyntaxAreNamed() {
        assertThatThrownBy(() -> Thresholds.evaluate("totals.nope == 0", point)).hasMessageContaining("'nope' not found");
        assertThatThrownBy(() -> Thresholds.evaluate("tenants.ghosts.latencyMs.p99 < 1", point))
                .hasMessageContaining("'ghosts' not found");
        assertThatThrownBy(() -> Thresholds.validate("totals.verified 5")).hasMessageContaining("expected one of");
        assertThatThrownBy(() -> Thresholds.validate("(totals.verified > 5")).hasMessageContaining("column");
        assertThatThrownBy(() -> Thresholds.validate("totals.verified > 5 5")).hasMessageContaining("unexpected");
    }
}
