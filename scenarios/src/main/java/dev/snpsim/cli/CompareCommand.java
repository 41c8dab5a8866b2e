package dev.snpsim.cli;

import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.scenario.results.ResultsWriter;
import dev.snpsim.scenario.results.RunResults;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code snpsim compare A B}: two runs side by side, marking the differences that matter. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two run directories side by side. Rows whose values differ by more than",
            "--tolerance (relative) are marked '*'. Exit 0 when none is marked, 1 otherwise."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR_A")
    Path a;

    @Parameters(index = "1", paramLabel = "DIR_B")
    Path b;

    @Option(names = "--tolerance", defaultValue = "0.05", description = "relative difference that matters (default: ${DEFAULT-VALUE})")
    double tolerance;

    private int marked;

    @Override
    public Integer call() {
        RunResults ra = read(a);
        RunResults rb = read(b);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-34s %16s %16s%n", "", trim(a.getFileName().toString()), trim(b.getFileName().toString()));
        text(out, "scenario", ra.scenario(), rb.scenario());
        text(out, "parameters", ra.parameters().toString(), rb.parameters().toString());
        text(out, "seed", String.valueOf(ra.summary().seed()), String.valueOf(rb.summary().seed()));
        text(out, "digest", ra.summary().digest().substring(0, 12), rb.summary().digest().substring(0, 12));
        List<PointResult> pa = points(ra);
        List<PointResult> pb = points(rb);
        if (pa.size() != pb.size()) {
            text(out, "points", String.valueOf(pa.size()), String.valueOf(pb.size()));
        }
        for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
            if (pa.size() > 1) {
                out.println("-- point " + i + " " + pa.get(i).parameters());
            }
            point(out, pa.get(i), pb.get(i));
        }
        out.println(marked == 0 ? "no difference beyond " + pct(tolerance)
                : marked + " figure(s) differ by more than " + pct(tolerance) + " (marked *)");
        return marked == 0 ? 0 : 1;
    }

    private void point(PrintWriter out, PointResult x, PointResult y) {
        num(out, "requests", x.totals().requests(), y.totals().requests());
        num(out, "verified", x.totals().verified(), y.totals().verified());
        num(out, "stale certificates", x.totals().staleCertificates(), y.totals().staleCertificates());
        num(out, "busy", x.totals().busy(), y.totals().busy());
        num(out, "eagain", x.totals().eagain(), y.totals().eagain());
        num(out, "enospc", x.totals().enospc(), y.totals().enospc());
        num(out, "timeouts", x.totals().timeouts(), y.totals().timeouts());
        num(out, "vmpck wiped", x.totals().vmpckWiped(), y.totals().vmpckWiped());
        num(out, "psp utilisation", x.psp().utilisation(), y.psp().utilisation());
        num(out, "psp mean queue depth", x.psp().meanQueueDepth(), y.psp().meanQueueDepth());
        num(out, "jain fairness", x.fairness().jain(), y.fairness().jain());
        for (PointResult.TenantResult t : x.tenants()) {
            Optional<PointResult.TenantResult> u = y.tenants().stream().filter(o -> o.name().equals(t.name())).findFirst();
            if (u.isEmpty()) {
                text(out, t.name(), "present", "absent");
                continue;
            }
            num(out, t.name() + " throughput/s", t.throughputPerSecond(), u.get().throughputPerSecond());
            num(out, t.name() + " p50 ms", t.latencyMs().p50(), u.get().latencyMs().p50());
            num(out, t.name() + " p99 ms", t.latencyMs().p99(), u.get().latencyMs().p99());
            num(out, t.name() + " max ms", t.latencyMs().max(), u.get().latencyMs().max());
        }
    }

    private void num(PrintWriter out, String name, double x, double y) {
        double scale = Math.max(Math.abs(x), Math.abs(y));
        boolean differs = scale > 0 && Math.abs(x - y) / scale > tolerance;
        if (differs) {
            marked++;
        }
        out.printf(Locale.ROOT, "%-34s %16s %16s %s%n", name, fmt(x), fmt(y), differs ? "* " + ratio(x, y) : "");
    }

    private static void text(PrintWriter out, String name, String x, String y) {
        out.printf("%-34s %16s %16s%s%n", name, trim(x), trim(y), x.equals(y) ? "" : " (differs)");
    }

    private static String ratio(double x, double y) {
        return x == 0 ? "" : String.format(Locale.ROOT, "(x%.2f)", y / x);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pct(double t) {
        return String.format(Locale.ROOT, "%.0f%%", t * 100);
    }

    private static String trim(String s) {
        return s.length() > 16 ? s.substring(0, 15) + "…" : s;
    }

    private static List<PointResult> points(RunResults r) {
        return r.points().isEmpty() ? List.of(r.summary()) : r.points();
    }

    private static RunResults read(Path dir) {
        try {
            return ResultsWriter.read(dir);
        } catch (IOException e) {
            throw new CliException(2, e.getMessage(), e);
        }
    }
}
