package dev.snpsim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.scenario.results.ResultsWriter;
import dev.snpsim.scenario.results.RunResults;
import dev.snpsim.scenario.results.Thresholds;
import dev.snpsim.sim.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Runs every point of a loaded scenario with a {@link PointExecutor}, evaluates the
 * thresholds on each point's figures and assembles the {@link RunResults}.
 */
public final class ScenarioRunner {
    private final PointExecutor executor;

    public ScenarioRunner(PointExecutor executor) {
        this.executor = executor;
    }

    /**
     * @param progressFor makes the progress listener of point i of n (for a progress bar)
     */
    public RunResults run(List<ScenarioLoader.Point> points, String modeOverride, String version,
                          BiFunction<Integer, Integer, ProgressListener> progressFor) {
        if (points.isEmpty()) {
            throw new ScenarioException("the scenario expands to no point");
        }
        ScenarioSpec first = points.get(0).spec();
        for (ScenarioLoader.Point p : points) {
            for (String t : p.spec().thresholds()) {
                try {
                    Thresholds.validate(t);
                } catch (IllegalArgumentException e) {
                    throw new ScenarioException(first.name() + ": " + e.getMessage(), e);
                }
            }
        }
        String mode = modeOverride != null ? modeOverride : first.mode();
        if (!mode.equals("virtual") && !mode.equals("realtime")) {
            throw new ScenarioException("--mode is '" + mode + "' (expected: virtual or realtime)");
        }
        List<PointResult> results = new ArrayList<>();
        PointResult baseline = null;
        for (int i = 0; i < points.size(); i++) {
            ScenarioLoader.Point p = points.get(i);
            PointResult r = executor.run(p, mode.equals("realtime"), progressFor.apply(i, points.size()));
            if (p.baseline()) {
                baseline = r;   // the reference: no thresholds of its own
            } else {
                results.add(withThresholds(r, p.spec().thresholds(), baseline));
            }
        }
        return RunResults.of(first.name(), first.description(), mode, version, baseline, results);
    }

    static PointResult withThresholds(PointResult r, List<String> conditions, PointResult baseline) {
        if (conditions.isEmpty()) {
            return r;
        }
        JsonNode tree = ResultsWriter.tree(r);
        if (baseline != null) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("baseline", ResultsWriter.tree(baseline));
        }
        List<PointResult.ThresholdResult> checked = new ArrayList<>();
        for (String c : conditions) {
            try {
                checked.add(Thresholds.evaluate(c, tree));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(e.getMessage(), e);
            }
        }
        return r.withThresholds(checked);
    }
}
