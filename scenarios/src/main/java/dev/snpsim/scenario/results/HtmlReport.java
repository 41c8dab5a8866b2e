package dev.snpsim.scenario.results;

import static dev.snpsim.scenario.results.SvgChart.esc;
import static dev.snpsim.scenario.results.SvgChart.fmt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched). */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(RunResults r) {
        List<PointResult> points = r.points().isEmpty() ? List.of(r.summary()) : r.points();
        PointResult first = points.get(0);
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>snpsim: ")
                .append(esc(r.scenario())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:.6em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
                .append(".pass{color:#1a7f37;font-weight:bold}.fail{color:#c62828;font-weight:bold}")
                .append("code{background:#f5f5f5;padding:0 3px}svg.plot{display:block;margin:1em 0}")
                .append("</style></head><body>\n");
        h.append("<h1>").append(esc(r.scenario())).append("</h1>\n<p>").append(esc(r.description())).append("</p>\n");
        h.append("<table><tr><th>mode</th><td>").append(esc(r.mode())).append("</td></tr><tr><th>seed</th><td>")
                .append(first.seed()).append("</td></tr><tr><th>trace digest</th><td><code>").append(esc(r.summary().digest()))
                .append("</code></td></tr><tr><th>simulated</th><td>").append(fmt(r.summary().simulatedSeconds()))
                .append(" s</td></tr><tr><th>wall</th><td>").append(fmt(r.summary().wallSeconds()))
                .append(" s</td></tr><tr><th>events</th><td>").append(r.summary().events())
                .append("</td></tr><tr><th>points</th><td>").append(points.size()).append("</td></tr><tr><th>verdict</th><td class=\"")
                .append(r.passed() ? "pass\">all thresholds hold" : "fail\">a threshold failed").append("</td></tr></table>\n");

        if (r.baseline() != null) {
            h.append("<h2>Baseline</h2>\n<p>The reference point ").append(esc(r.baseline().parameters().toString()))
                    .append(": every point below is compared with it.</p>\n");
            tenantTable(h, r.baseline());
        }
        if (points.size() > 1) {
            sweep(h, points, r.baseline());
        }
        for (int i = 0; i < points.size(); i++) {
            point(h, points.get(i), i, points.size() > 1);
        }
        h.append("<p><small>Made by snpsim ").append(esc(Objects.toString(r.snpsimVersion(), "dev")))
                .append(". Latency is measured from each request's intended send time.</small></p>\n</body></html>\n");
        return h.toString();
    }

    private static void sweep(StringBuilder h, List<PointResult> points, PointResult baseline) {
        Set<String> varying = new LinkedHashSet<>();
        for (String k : points.get(0).parameters().keySet()) {
            for (PointResult p : points) {
                if (!Objects.equals(p.parameters().get(k), points.get(0).parameters().get(k))) {
                    varying.add(k);
                }
            }
        }
        h.append("<h2>Sweep</h2>\n<table><tr><th>#</th>");
        for (String k : varying) {
            h.append("<th>").append(esc(k)).append("</th>");
        }
        h.append("<th>seed</th><th>requests</th><th>verified</th><th>busy</th><th>stale</th><th>throughput/s</th>")
                .append("<th>p99 ms (worst tenant)</th>").append(baseline == null ? "" : "<th>p99 / baseline (worst)</th>")
                .append("<th>PSP util.</th><th>Jain</th><th>pass</th></tr>\n");
        for (int i = 0; i < points.size(); i++) {
            PointResult p = points.get(i);
            h.append("<tr><td>").append(i).append("</td>");
            for (String k : varying) {
                h.append("<td>").append(esc(String.valueOf(p.parameters().get(k)))).append("</td>");
            }
            h.append("<td>").append(p.seed()).append("</td><td>").append(p.totals().requests()).append("</td><td>")
                    .append(p.totals().verified()).append("</td><td>").append(p.totals().busy()).append("</td><td>")
                    .append(p.totals().staleCertificates()).append("</td><td>").append(fmt(throughput(p)))
                    .append("</td><td>").append(fmt(worstP99(p))).append("</td>")
                    .append(baseline == null ? "" : "<td>" + fmt(worstRatio(p, baseline)) + "</td>")
                    .append("<td>").append(fmt(p.psp().utilisation()))
                    .append("</td><td>").append(fmt(p.fairness().jain())).append("</td><td class=\"")
                    .append(p.passed() ? "pass\">yes" : "fail\">no").append("</td></tr>\n");
        }
        h.append("</table>\n");
        String x = varying.stream().filter(k -> points.stream().allMatch(p -> p.parameters().get(k) instanceof Number))
                .findFirst().orElse(null);
        if (x != null) {
            double[] xs = points.stream().mapToDouble(p -> ((Number) p.parameters().get(x)).doubleValue()).toArray();
            h.append(SvgChart.line("sweep-throughput", "Throughput across the sweep", x, "completed requests / s",
                    List.of(new SvgChart.Series("throughput", xs, points.stream().mapToDouble(HtmlReport::throughput).toArray()))));
            h.append(SvgChart.line("sweep-latency", "Latency across the sweep", x, "ms", List.of(
                    new SvgChart.Series("p50 (worst tenant)", xs, points.stream().mapToDouble(p -> worst(p, "p50")).toArray()),
                    new SvgChart.Series("p99 (worst tenant)", xs, points.stream().mapToDouble(HtmlReport::worstP99).toArray()))));
        } else {
            List<String> labels = new ArrayList<>();
            for (PointResult p : points) {
                labels.add(varying.stream().map(k -> String.valueOf(p.parameters().get(k))).reduce((a, b) -> a + "/" + b)
                        .orElse("seed " + p.seed()));
            }
            h.append(SvgChart.bars("sweep-latency", "p99 latency per point (worst tenant)", "ms", labels,
                    List.of(new SvgChart.Series("p99", new double[0], points.stream().mapToDouble(HtmlReport::worstP99).toArray()))));
        }
    }

    private static void point(StringBuilder h, PointResult p, int index, boolean many) {
        String suffix = many ? "-" + index : "";
        h.append("<h2>").append(many ? "Point " + index + " " + esc(p.parameters().toString()) : "Results").append("</h2>\n");
        tenantTable(h, p);
        pspAndThresholds(h, p);
        plots(h, p, suffix);
    }

    private static void tenantTable(StringBuilder h, PointResult p) {
        h.append("<table><tr><th>tenant</th><th>guests</th><th>requests</th><th>verified</th><th>stale certs</th>")
                .append("<th>BUSY</th><th>EAGAIN</th><th>ENOSPC</th><th>timeouts</th><th>VMPCK wiped</th><th>failed</th>")
                .append("<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>boot p50 / max ms</th></tr>\n");
        for (PointResult.TenantResult t : p.tenants()) {
            h.append("<tr><td>").append(esc(t.name())).append("</td><td>").append(t.guests()).append("</td><td>")
                    .append(t.requests()).append("</td><td>").append(t.verified()).append("</td><td>")
                    .append(t.staleCertificates()).append("</td><td>").append(t.busy()).append("</td><td>").append(t.eagain())
                    .append("</td><td>").append(t.enospc()).append("</td><td>").append(t.timeouts()).append("</td><td>")
                    .append(t.vmpckWiped()).append("</td><td>").append(t.failed()).append("</td><td>")
                    .append(fmt(t.latencyMs().p50())).append("</td><td>").append(fmt(t.latencyMs().p90())).append("</td><td>")
                    .append(fmt(t.latencyMs().p99())).append("</td><td>").append(fmt(t.latencyMs().p999())).append("</td><td>")
                    .append(fmt(t.latencyMs().max())).append("</td><td>")
                    .append(t.bootMs() == null || t.bootMs().count() == 0 ? "" : fmt(t.bootMs().p50()) + " / " + fmt(t.bootMs().max()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void pspAndThresholds(StringBuilder h, PointResult p) {
        h.append("<p>PSP utilisation ").append(fmt(p.psp().utilisation())).append(", mean queue depth ")
                .append(fmt(p.psp().meanQueueDepth())).append(", ").append(p.psp().commands()).append(" commands, mean wait ")
                .append(fmt(p.psp().meanWaitMs())).append(" ms. Jain's fairness index ").append(fmt(p.fairness().jain()))
                .append(".</p>\n");
        if (!p.thresholds().isEmpty()) {
            h.append("<table><tr><th>threshold</th><th>left</th><th>right</th><th>result</th></tr>\n");
            for (PointResult.ThresholdResult t : p.thresholds()) {
                h.append("<tr><td><code>").append(esc(t.condition())).append("</code></td><td>").append(fmt(t.left()))
                        .append("</td><td>").append(fmt(t.right())).append("</td><td class=\"")
                        .append(t.passed() ? "pass\">holds" : "fail\">fails").append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void plots(StringBuilder h, PointResult p, String suffix) {
        double[] xs = p.timeseries().stream().mapToDouble(PointResult.Window::startSeconds).toArray();
        h.append(SvgChart.line("throughput" + suffix, "Completed requests per second", "simulated seconds", "requests / s",
                List.of(new SvgChart.Series("throughput", xs,
                        p.timeseries().stream().mapToDouble(PointResult.Window::throughputPerSecond).toArray()))));
        h.append(SvgChart.line("latency" + suffix, "Windowed p99 latency and PSP queue depth", "simulated seconds", "ms / commands",
                List.of(new SvgChart.Series("p99 ms", xs, p.timeseries().stream().mapToDouble(PointResult.Window::p99Ms).toArray()),
                        new SvgChart.Series("PSP queue", xs,
                                p.timeseries().stream().mapToDouble(PointResult.Window::pspQueueDepth).toArray()))));
        h.append(SvgChart.line("busy" + suffix, "BUSY, EAGAIN and lock waits per window", "simulated seconds", "count", List.of(
                new SvgChart.Series("BUSY", xs, p.timeseries().stream().mapToDouble(PointResult.Window::busy).toArray()),
                new SvgChart.Series("EAGAIN", xs, p.timeseries().stream().mapToDouble(PointResult.Window::eagain).toArray()),
                new SvgChart.Series("lock waits", xs,
                        p.timeseries().stream().mapToDouble(PointResult.Window::lockWaits).toArray()))));
        List<String> names = p.tenants().stream().map(PointResult.TenantResult::name).toList();
        List<SvgChart.Series> pct = new ArrayList<>();
        for (String q : new String[] {"p50", "p90", "p99", "p999"}) {
            pct.add(new SvgChart.Series(q, new double[0], p.tenants().stream().mapToDouble(t -> pick(t.latencyMs(), q)).toArray()));
        }
        h.append(SvgChart.bars("percentiles" + suffix, "Latency percentiles per tenant", "ms", names, pct));
    }

    /** The largest p99 ratio to the baseline over tenants present in both (0 when none compares). */
    static double worstRatio(PointResult p, PointResult baseline) {
        double worst = 0;
        for (PointResult.TenantResult t : p.tenants()) {
            for (PointResult.TenantResult b : baseline.tenants()) {
                if (b.name().equals(t.name()) && b.latencyMs().p99() > 0 && t.latencyMs().count() > 0) {
                    worst = Math.max(worst, t.latencyMs().p99() / b.latencyMs().p99());
                }
            }
        }
        return worst;
    }

    static double throughput(PointResult p) {
        return p.tenants().stream().mapToDouble(PointResult.TenantResult::throughputPerSecond).sum();
    }

    private static double worstP99(PointResult p) {
        return worst(p, "p99");
    }

    private static double worst(PointResult p, String q) {
        return p.tenants().stream().filter(t -> t.latencyMs().count() > 0).mapToDouble(t -> pick(t.latencyMs(), q)).max()
                .orElse(0);
    }

    private static double pick(PointResult.Latency l, String q) {
        return switch (q) {
            case "p50" -> l.p50();
            case "p90" -> l.p90();
            case "p99" -> l.p99();
            default -> l.p999();
        };
    }

    /** For tests and scripts: the ids of the plots a page holds. */
    static List<String> plotIds(String html) {
        List<String> ids = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("<svg id=\"([^\"]+)\" class=\"plot\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
