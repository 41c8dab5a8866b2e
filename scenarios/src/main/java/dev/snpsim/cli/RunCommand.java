package dev.snpsim.cli;

import dev.snpsim.scenario.ScenarioException;
import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.ScenarioRunner;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.scenario.results.ResultsWriter;
import dev.snpsim.scenario.results.RunResults;
import dev.snpsim.scenario.run.NativePointExecutor;
import dev.snpsim.scenario.run.SimulatedPointExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code snpsim run}: runs a scenario and writes results.json, timeseries.csv and report.html. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a scenario (a built-in name, see 'snpsim list', or a YAML/JSON file).",
            "Exit 0 when every threshold holds, 1 when one fails, 2 when the scenario is invalid."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO", description = "built-in name or file")
    String scenario;

    @Option(names = "--seed", description = "seed (overrides the file's seed and seeds)")
    Long seed;

    @Option(names = "--out", description = "output directory (default: runs/<scenario>-<timestamp>)")
    Path out;

    @Option(names = "--mode", description = "virtual (default) or realtime")
    String mode;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "set a parameter or a dotted path; repeatable")
    List<String> sets = new ArrayList<>();

    @Option(names = "--quiet", description = "no progress bar and no summary")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ScenarioLoader.Point> points;
        try {
            points = ScenarioLoader.load(ScenarioLoader.source(scenario), sets, seed);
        } catch (ScenarioException e) {
            throw new CliException(2, e.getMessage(), e);
        }
        String name = points.get(0).spec().name();
        Path dir = out != null ? out
                : Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        long simNanos = points.get(0).spec().duration().toNanos();
        RunResults results;
        boolean nativeBackend = points.get(0).spec().nativeBackend() != null;
        try {
            results = new ScenarioRunner(nativeBackend ? new NativePointExecutor()
                    : new SimulatedPointExecutor(dir.resolve("work")))
                    .run(points, mode, Main.Version.version(), (i, n) -> ProgressBar.create(err, quiet, simNanos, i, n));
        } catch (ScenarioException e) {
            throw new CliException(2, e.getMessage(), e);
        }
        try {
            ResultsWriter.write(dir, results);
        } catch (IOException e) {
            throw new CliException(2, "cannot write results to " + dir + ": " + e.getMessage(), e);
        }
        if (!quiet) {
            summary(o, results, dir);
        }
        return results.passed() ? 0 : 1;
    }

    private static void summary(PrintWriter o, RunResults r, Path dir) {
        List<PointResult> points = r.points().isEmpty() ? List.of(r.summary()) : r.points();
        for (PointResult p : points) {
            o.printf(Locale.ROOT, "%s seed %d%s: %d requests, %d verified, %d stale, %d busy, %d eagain, %d enospc, "
                            + "%d timeouts, %d wiped; psp %.0f%% busy; %.1f s simulated in %.1f s%n",
                    r.scenario(), p.seed(), p.parameters().isEmpty() ? "" : " " + p.parameters(), p.totals().requests(),
                    p.totals().verified(), p.totals().staleCertificates(), p.totals().busy(), p.totals().eagain(),
                    p.totals().enospc(), p.totals().timeouts(), p.totals().vmpckWiped(), p.psp().utilisation() * 100,
                    p.simulatedSeconds(), p.wallSeconds());
            for (PointResult.ThresholdResult t : p.thresholds()) {
                if (!t.passed()) {
                    o.printf(Locale.ROOT, "  threshold failed: %s (left %.4g, right %.4g)%n", t.condition(), t.left(), t.right());
                }
            }
        }
        o.println("digest " + r.summary().digest());
        o.println("wrote " + dir.resolve(ResultsWriter.REPORT));
    }
}
