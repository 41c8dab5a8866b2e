package dev.snpsim.scenario;

import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.sim.ProgressListener;

/** Runs one point of a scenario and measures it. */
public interface PointExecutor {
    /**
     * @param point    the bound scenario, its parameter values and seed
     * @param realtime run on the wall clock instead of virtual time
     * @param progress told how the run goes (may be a no-op)
     */
    PointResult run(ScenarioLoader.Point point, boolean realtime, ProgressListener progress);
}
