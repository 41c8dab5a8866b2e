package dev.snpsim.scenario;

import java.util.ArrayList;
import java.util.List;

/** The scenarios shipped in the jar (resources under {@code /scenarios/}), in the order users meet them. */
public final class BuiltinScenarios {
    /** A built-in scenario's name and its one-line description. */
    public record Entry(String name, String description) {
    }

    public static final List<String> NAMES = List.of("smoke", "throughput", "dos-flood", "vlek-rotation", "tcb-update",
            "native-smoke");

    private BuiltinScenarios() {
    }

    public static List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        for (String n : NAMES) {
            try {
                ScenarioLoader.Source src = ScenarioLoader.source(n);
                ScenarioSpec spec = ScenarioLoader.load(src, List.of(), null).get(0).spec();
                out.add(new Entry(n, spec.description()));
            } catch (ScenarioException e) {
                // a scenario not shipped in this build (e.g. native-smoke before the native backend) is skipped
                if (!e.getMessage().contains("no built-in scenario")) {
                    throw e;
                }
            }
        }
        return out;
    }
}
