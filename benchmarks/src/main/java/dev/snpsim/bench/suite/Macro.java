package dev.snpsim.bench.suite;

import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.scenario.run.SimulatedPointExecutor;
import dev.snpsim.sim.ProgressListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The reference scenario through the scenario runner ({@link SimulatedPointExecutor}), so it
 * pays exactly what {@code snpsim run} pays.
 */
public final class Macro {
    /** The seed every macro run uses. */
    public static final long SEED = 1;

    private final SimulatedPointExecutor executor;

    /** @param workDir where the runs' certificate blob files go */
    public Macro(Path workDir) {
        this.executor = new SimulatedPointExecutor(workDir);
    }

    /**
     * The reference scenario: one host, {@code guests} guests of 4 vCPUs, each asking for an
     * extended report once every 30 s on average (open, Poisson), PSP service time 8 ms (FIFO),
     * every report signed by the PSP and verified by the relying party.
     */
    public static String referenceYaml(int guests, Duration duration) {
        return referenceYaml(guests, duration, 1.0 / 30);
    }

    /** The reference scenario's shape with another per-guest rate (the scale probe uses a lower one). */
    public static String referenceYaml(int guests, Duration duration, double ratePerGuest) {
        return String.format(Locale.ROOT, """
                name: bench-reference
                description: %d guests x 4 vcpus, one extended attestation per guest per %.0f s, psp 8 ms
                duration: %ds
                host:
                  psp: { discipline: fifo, serviceTime: { guestRequest: 8ms } }
                tenants:
                  - name: fleet
                    guests: %d
                    vcpus: 4
                    workload: { type: open, rate: %.9f, request: extended }
                """, guests, 1 / ratePerGuest, duration.toSeconds(), guests, ratePerGuest);
    }

    /** Runs one scenario text (single point) in virtual time or on the wall clock. */
    public PointResult run(String yaml, boolean realtime) {
        return run(yaml, realtime, null);
    }

    /** Runs one scenario text, telling {@code progress} (may be null) how the run goes. */
    public PointResult run(String yaml, boolean realtime, ProgressListener progress) {
        List<ScenarioLoader.Point> points = ScenarioLoader.load(new ScenarioLoader.Source("bench", yaml, false),
                List.of(), SEED);
        if (points.size() != 1) {
            throw new IllegalStateException("bench scenario expands to " + points.size() + " points (expected: 1)");
        }
        PointResult r = executor.run(points.get(0), realtime, progress);
        if (r.totals().verified() == 0) {
            throw new IllegalStateException("bench scenario verified no report: " + r.totals());
        }
        return r;
    }

    /** Verified attestations per wall second of a run. */
    public static double verifiedPerWallSecond(PointResult r) {
        return r.totals().verified() / r.wallSeconds();
    }
}
