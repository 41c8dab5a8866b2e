package dev.snpsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
    private static List<ScenarioLoader.Point> yaml(String text, String... sets) {
        return ScenarioLoader.load(new ScenarioLoader.Source("test.yaml", text, false), List.of(sets), null);
    }

    private static final String MINIMAL = """
            name: mini
            duration: 2m
            parameters:
              guests: 3
            tenants:
              - name: a
                guests: ${guests}
                workload: { type: open, rate: 0.5 }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"smoke", "throughput", "dos-flood", "vlek-rotation", "tcb-update", "native-smoke"})
    void everyBuiltInScenarioLoads(String name) {
        List<ScenarioLoader.Point> points = ScenarioLoader.load(ScenarioLoader.source(name), List.of(), null);
        assertThat(points).isNotEmpty();
        assertThat(points.get(0).spec().name()).isEqualTo(name);
    }

    @Test
    void defaultsAndParametersApply() {
        ScenarioLoader.Point p = yaml(MINIMAL).get(0);
        assertThat(p.spec().tenants().get(0).guests()).isEqualTo(3);
        assertThat(p.spec().duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.spec().host().psp().discipline()).isEqualTo("fifo");
        assertThat(p.spec().host().locking()).isTrue();
        assertThat(p.seed()).isEqualTo(1L);
        assertThat(p.parameters()).containsEntry("guests", 3);
    }

    @Test
    void setChangesAParameterOrAPath() {
        ScenarioLoader.Point p = yaml(MINIMAL, "guests=9", "host.psp.discipline=drr").get(0);
        assertThat(p.spec().tenants().get(0).guests()).isEqualTo(9);
        assertThat(p.parameters()).containsEntry("guests", 9L);
        assertThat(p.spec().host().psp().discipline()).isEqualTo("drr");
        ScenarioLoader.Point q = yaml(MINIMAL, "tenants.0.vcpus=4").get(0);
        assertThat(q.spec().tenants().get(0).vcpus()).isEqualTo(4);
    }

    @Test
    void sweepExpandsEveryCombinationAndEverySeed() {
        String text = MINIMAL + """
                sweep:
                  guests: [1, 2, 5]
                seeds: [7, 8]
                """;
        List<ScenarioLoader.Point> points = yaml(text);
        assertThat(points).hasSize(6);
        assertThat(points).extracting(pt -> pt.spec().tenants().get(0).guests()).containsExactly(1, 1, 2, 2, 5, 5);
        assertThat(points).extracting(ScenarioLoader.Point::seed).containsExactly(7L, 8L, 7L, 8L, 7L, 8L);
        assertThat(yaml(text, "guests=4")).as("--set pins a swept parameter").hasSize(2)
                .allSatisfy(pt -> assertThat(pt.spec().tenants().get(0).guests()).isEqualTo(4));
        List<ScenarioLoader.Point> flood = ScenarioLoader.load(ScenarioLoader.source("dos-flood"), List.of(), null);
        assertThat(flood).hasSize(9);
        assertThat(flood.get(0).baseline()).isTrue();
        assertThat(flood.get(0).spec().tenants().get(0).workload().type()).isEqualTo("idle");
        assertThat(flood.subList(1, 9)).allSatisfy(pt -> {
            assertThat(pt.baseline()).isFalse();
            assertThat(pt.spec().tenants().get(0).workload().type()).isEqualTo("flood");
        });
    }

    @Test
    void unknownKeyNamesLineColumnAndTheKnownKeys() {
        String bad = MINIMAL.replace("    guests: ${guests}", "    gusts: ${guests}");
        assertThatThrownBy(() -> yaml(bad))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("test.yaml:7:")
                .hasMessageContaining("unknown key 'gusts'")
                .hasMessageContaining("guests");
    }

    @Test
    void wrongTypeNamesTheFieldAndWhatWasExpected() {
        String bad = MINIMAL.replace("duration: 2m", "duration: soon");
        assertThatThrownBy(() -> yaml(bad))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("test.yaml:2:")
                .hasMessageContaining("duration");
        String notANumber = MINIMAL.replace("rate: 0.5", "rate: fast");
        assertThatThrownBy(() -> yaml(notANumber)).hasMessageContaining("test.yaml:8:").hasMessageContaining("rate");
    }

    @Test
    void impossibleValueIsRejectedWithItsPlace() {
        String bad = MINIMAL.replace("rate: 0.5", "rate: -2");
        assertThatThrownBy(() -> yaml(bad))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("test.yaml:")
                .hasMessageContaining("rate is -2");
        assertThatThrownBy(() -> yaml(MINIMAL, "guests=0")).hasMessageContaining("guests is 0");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        String bad = MINIMAL.replace("duration: 2m\n", "");
        assertThatThrownBy(() -> yaml(bad)).hasMessageContaining("missing required key 'duration'");
    }

    @Test
    void badOverridesAndReferencesAreNamed() {
        assertThatThrownBy(() -> yaml(MINIMAL, "locking=false"))
                .hasMessageContaining("no parameter 'locking'").hasMessageContaining("guests");
        assertThatThrownBy(() -> yaml(MINIMAL, "guests")).hasMessageContaining("not name=value");
        assertThatThrownBy(() -> yaml(MINIMAL.replace("${guests}", "${gusts}")))
                .hasMessageContaining("test.yaml:7:").hasMessageContaining("${gusts} names no parameter");
        assertThatThrownBy(() -> yaml(MINIMAL + "sweep:\n  nope: [1]\n")).hasMessageContaining("sweep names 'nope'");
        assertThatThrownBy(() -> yaml(MINIMAL, "host.psp.discipline=lifo")).hasMessageContaining("--set")
                .hasMessageContaining("lifo");
    }

    @Test
    void baselineMustNameParameters() {
        assertThatThrownBy(() -> yaml(MINIMAL + "baseline: { nope: 1 }\n")).hasMessageContaining("baseline sets 'nope'");
        List<ScenarioLoader.Point> pts = yaml(MINIMAL + "baseline: { guests: 1 }\n");
        assertThat(pts).hasSize(2);
        assertThat(pts.get(0).spec().tenants().get(0).guests()).isEqualTo(1);
        assertThat(pts.get(1).spec().tenants().get(0).guests()).isEqualTo(3);
    }

    @Test
    void jsonFilesWorkToo() {
        String json = """
                {"name": "j", "duration": "10s", "tenants": [{"name": "t", "guests": 2}]}
                """;
        ScenarioLoader.Point p = ScenarioLoader.load(new ScenarioLoader.Source("x.json", json, true), List.of(), 5L).get(0);
        assertThat(p.spec().tenants().get(0).guests()).isEqualTo(2);
        assertThat(p.seed()).isEqualTo(5L);
        assertThatThrownBy(() -> ScenarioLoader.load(new ScenarioLoader.Source("x.json", "{\"name\": \"j\",", true),
                List.of(), null)).hasMessageContaining("x.json:");
    }

    @Test
    void unknownScenarioNameSaysWhereToLook() {
        assertThatThrownBy(() -> ScenarioLoader.source("nosuch")).hasMessageContaining("snpsim list");
        assertThatThrownBy(() -> ScenarioLoader.source("/tmp/nosuch.yaml")).hasMessageContaining("no such file");
    }
}
