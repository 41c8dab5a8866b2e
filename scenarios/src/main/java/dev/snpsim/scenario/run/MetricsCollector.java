package dev.snpsim.scenario.run;

import dev.snpsim.psp.PspMetrics;
import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.sim.RunStats;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.metrics.TimeSeries;
import dev.snpsim.sim.metrics.WindowedHistogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Reads a finished run's {@link Metrics} (keys documented in the guest, PSP, host and this
 * package) into a {@link PointResult}.
 */
final class MetricsCollector {
    static final String PSP = "psp";

    private MetricsCollector() {
    }

    static PointResult collect(ScenarioLoader.Point point, Plan plan, Metrics m, RunStats stats, String digest,
                               Warmup warmup) {
        long measuredNanos = stats.simulatedNanos() - warmup.atNanos();
        double seconds = measuredNanos / 1e9;
        List<PointResult.TenantResult> tenants = new ArrayList<>();
        List<Double> perGuest = new ArrayList<>();
        PointResult.Counters totals = PointResult.Counters.ZERO;
        for (Plan.TenantPlan t : plan.tenants()) {
            String name = t.spec().name();
            PointResult.Counters c;
            long completed;
            PointResult.Latency latency;
            if (t.kind() == Plan.Kind.FLOOD) {
                long sent = 0;
                long busy = 0;
                long ok = 0;
                for (int g = 0; g < t.spec().guests(); g++) {
                    String p = "hostile/" + t.vmId(g) + "/";
                    sent += count(m, warmup, p + "sent");
                    busy += count(m, warmup, p + "busy");
                    long guestOk = count(m, warmup, p + "ok");
                    ok += guestOk;
                    perGuest.add((double) guestOk);
                }
                c = new PointResult.Counters(sent, 0, 0, busy, 0, 0, 0, 0, 0);
                completed = ok;
                latency = PointResult.Latency.NONE;
            } else {
                String p = "guest/" + name + "/";
                long requests = count(m, warmup, p + "requests");
                long enospc = count(m, warmup, p + "enospc");
                long timeouts = count(m, warmup, p + "timeouts");
                long failed = count(m, warmup, p + "failed") + count(m, warmup, p + "rejected") + count(m, warmup, p + "nonce-mismatch")
                        + count(m, warmup, p + "no-certificates") + count(m, warmup, p + "enotty");
                c = new PointResult.Counters(requests, count(m, warmup, p + "verified"), count(m, warmup, p + "stale-certificate"),
                        count(m, warmup, p + "busy-retries"), 0, enospc, timeouts, count(m, warmup, p + "vmpck-wiped"), failed);
                completed = Math.max(0, requests - enospc - timeouts - count(m, warmup, p + "enotty") - count(m, warmup, p + "failed"));
                latency = latency(m.histograms().get(p + "latency"));
                for (int g = 0; g < t.spec().guests() && t.kind() == Plan.Kind.WORKLOAD; g++) {
                    // idle guests ask for nothing: they are not part of the fairness question
                    String key = p + "by-guest/" + t.vmId(g) + "/completed";
                    perGuest.add(m.counters().containsKey(key) ? (double) count(m, warmup, key)
                            : completed / (double) t.spec().guests());
                }
            }
            tenants.add(PointResult.TenantResult.of(name, t.spec().guests(), c, seconds > 0 ? completed / seconds : 0,
                    latency, latency(m.histograms().get("boot/" + name))));
            totals = totals.plus(c);
        }
        long eagain = count(m, warmup, "vmm.answer.again");  // the VMM answered EAGAIN (lock not granted in time)
        totals = new PointResult.Counters(totals.requests(), totals.verified(), totals.staleCertificates(), totals.busy(),
                eagain, totals.enospc(), totals.timeouts(), totals.vmpckWiped(), totals.failed());
        return new PointResult(point.parameters(), point.seed(), digest, seconds, stats.wallNanos() / 1e9, stats.events(),
                totals, tenants, psp(m, warmup, measuredNanos),
                new PointResult.Fairness(PointResult.Fairness.jain(perGuest.stream().mapToDouble(Double::doubleValue).toArray())),
                windows(m, plan, stats.simulatedNanos()), List.of(), null);
    }

    private static PointResult.PspResult psp(Metrics m, Warmup warmup, long simNanos) {
        Histogram wait = m.histograms().get(PSP + "/wait");
        double meanWait = wait == null || wait.getTotalCount() == 0 ? 0 : wait.getMean();
        long waited = wait == null ? 0 : wait.getTotalCount();
        // Little's law: the time-average number waiting is the total waiting time over the elapsed time
        double depth = simNanos <= 0 ? 0 : meanWait * waited / simNanos;
        double utilisation = simNanos <= 0 ? 0 : count(m, warmup, PspMetrics.busyKey(PSP)) / (double) simNanos;
        return new PointResult.PspResult(utilisation, depth, count(m, warmup, PSP + "/commands"), meanWait / 1e6);
    }

    private static List<PointResult.Window> windows(Metrics m, Plan plan, long simNanos) {
        long w = plan.window().toNanos();
        int n = (int) Math.max(1, (simNanos + w - 1) / w);
        long[] completed = new long[n];
        long[] busy = new long[n];
        long[] eagain = new long[n];
        long[] lockWaits = new long[n];
        double[] depth = new double[n];
        List<WindowedHistogram.Span> latency = new ArrayList<>();
        for (Plan.TenantPlan t : plan.tenants()) {
            String p = "guest/" + t.spec().name() + "/";
            WindowedHistogram wh = m.windowedHistograms().get(p + "latency-w");
            if (wh != null) {
                latency.addAll(wh.spans());
            }
            add(m.timeSeries().get(p + "busy-ts"), busy, w);
        }
        double[] p99 = latencyP99(latency, w, n, completed);
        add(m.timeSeries().get("vmm/eagain-ts"), eagain, w);
        add(m.timeSeries().get("vmm/lock-wait-ts"), lockWaits, w);
        TimeSeries q = m.timeSeries().get(PSP + "/queue-depth");
        if (q != null && q.windowNanos() == w) {
            for (TimeSeries.Window win : q.windowsUntil(simNanos)) {
                int i = (int) (win.startNanos() / w);
                if (i < n && win.count() > 0) {
                    depth[i] = win.mean();
                }
            }
        }
        List<PointResult.Window> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PointResult.Window(i * w / 1e9, completed[i], completed[i] / (w / 1e9), depth[i], p99[i], busy[i],
                    eagain[i], lockWaits[i]));
        }
        return out;
    }

    /**
     * Each result window's 99th-percentile latency in ms (0 where none completed), and its count
     * added to {@code completed}: the tenants' latency windows that fall in it are added, in
     * place, to one plain histogram reused from window to window. (Copying each window into a
     * packed histogram, merging those into another packed one per result window and reading its
     * percentile took nearly all the time the results took to collect.)
     */
    private static double[] latencyP99(List<WindowedHistogram.Span> windows, long w, int n, long[] completed) {
        double[] p99 = new double[n];
        windows.sort(Comparator.comparingLong(WindowedHistogram.Span::startNanos));
        Histogram merged = new Histogram(Metrics.SIGNIFICANT_DIGITS);   // the windows' own precision
        int k = 0;
        while (k < windows.size()) {
            long i = windows.get(k).startNanos() / w;
            merged.reset();
            for (; k < windows.size() && windows.get(k).startNanos() / w == i; k++) {
                windows.get(k).addTo(merged);
            }
            if (i < n) {
                completed[(int) i] += merged.getTotalCount();
                p99[(int) i] = merged.getValueAtPercentile(99) / 1e6;
            }
        }
        return p99;
    }

    private static void add(TimeSeries ts, long[] into, long w) {
        if (ts == null || ts.windowNanos() != w) {
            return;
        }
        for (TimeSeries.Window win : ts.windows()) {
            int i = (int) (win.startNanos() / w);
            if (i < into.length) {
                into[i] += win.sum();
            }
        }
    }

    static PointResult.Latency latency(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return PointResult.Latency.NONE;
        }
        return new PointResult.Latency(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1e6,
                h.getTotalCount());
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** A counter's increase since the warm-up ended. */
    private static long count(Metrics m, Warmup warmup, String key) {
        Counter c = m.counters().get(key);
        return c == null ? 0 : c.get() - warmup.before(key);
    }
}
