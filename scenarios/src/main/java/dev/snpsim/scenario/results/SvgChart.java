package dev.snpsim.scenario.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small, dependency-free SVG charts for the self-contained HTML report. */
public final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 720;
    private static final int H = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 44;

    /** One named line of (x, y) points. */
    public record Series(String name, double[] xs, double[] ys) {
    }

    private SvgChart() {
    }

    /** A line chart; {@code id} becomes the svg element's id (tests and readers find plots by it). */
    public static String line(String id, String title, String xLabel, String yLabel, List<Series> series) {
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) {
                    xmin = Math.min(xmin, s.xs()[i]);
                    xmax = Math.max(xmax, s.xs()[i]);
                    ymax = Math.max(ymax, s.ys()[i]);
                }
            }
        }
        if (!Double.isFinite(xmin)) {
            xmin = 0;
            xmax = 1;
        }
        if (xmax == xmin) {
            xmax = xmin + 1;
        }
        ymax = niceCeil(ymax == 0 ? 1 : ymax * 1.05);
        StringBuilder sb = frame(id, title, xLabel, yLabel, xmin, xmax, ymax);
        int c = 0;
        for (Series s : series) {
            String colour = COLOURS[c % COLOURS.length];
            List<String> pts = new ArrayList<>();
            for (int i = 0; i < s.xs().length; i++) {
                if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) {
                    pts.add(fmt(px(s.xs()[i], xmin, xmax)) + "," + fmt(py(s.ys()[i], ymax)));
                }
            }
            sb.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"1.8\" points=\"").append(String.join(" ", pts)).append("\"/>\n");
            if (pts.size() <= 40) {
                for (String p : pts) {
                    String[] xy = p.split(",");
                    sb.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
                            .append("\" r=\"2.5\" fill=\"").append(colour).append("\"/>");
                }
            }
            legend(sb, c, s.name(), colour);
            c++;
        }
        return sb.append("</svg>\n").toString();
    }

    /** Grouped bars: one group per category, one bar per series. */
    public static String bars(String id, String title, String yLabel, List<String> categories, List<Series> series) {
        double ymax = 0;
        for (Series s : series) {
            for (double y : s.ys()) {
                if (Double.isFinite(y)) {
                    ymax = Math.max(ymax, y);
                }
            }
        }
        ymax = niceCeil(ymax == 0 ? 1 : ymax * 1.05);
        StringBuilder sb = frame(id, title, "", yLabel, 0, categories.size(), ymax);
        double group = (W - LEFT - RIGHT) / (double) Math.max(1, categories.size());
        double bar = group * 0.8 / Math.max(1, series.size());
        for (int g = 0; g < categories.size(); g++) {
            double gx = LEFT + g * group + group * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double y = series.get(s).ys()[g];
                if (!Double.isFinite(y)) {
                    continue;
                }
                sb.append("<rect class=\"bar\" x=\"").append(fmt(gx + s * bar)).append("\" y=\"").append(fmt(py(y, ymax)))
                        .append("\" width=\"").append(fmt(bar * 0.95)).append("\" height=\"")
                        .append(fmt(H - BOTTOM - py(y, ymax))).append("\" fill=\"").append(COLOURS[s % COLOURS.length])
                        .append("\"><title>").append(esc(categories.get(g) + " " + series.get(s).name() + ": " + fmt(y)))
                        .append("</title></rect>\n");
            }
            sb.append("<text x=\"").append(fmt(LEFT + g * group + group / 2)).append("\" y=\"").append(H - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">").append(esc(categories.get(g))).append("</text>\n");
        }
        for (int s = 0; s < series.size(); s++) {
            legend(sb, s, series.get(s).name(), COLOURS[s % COLOURS.length]);
        }
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder frame(String id, String title, String xLabel, String yLabel, double xmin, double xmax,
                                       double ymax) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"").append(esc(id)).append("\" class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W).append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\" font-weight=\"bold\">").append(esc(title))
                .append("</text>\n");
        sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(H - BOTTOM).append("\" x2=\"").append(W - RIGHT)
                .append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"#333\"/>\n");
        sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"#333\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double y = ymax * i / 4;
            double yy = py(y, ymax);
            sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(fmt(yy)).append("\" x2=\"").append(W - RIGHT)
                    .append("\" y2=\"").append(fmt(yy)).append("\" stroke=\"#ddd\"/>");
            sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(yy + 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(fmt(y)).append("</text>\n");
        }
        if (!xLabel.isEmpty()) {
            for (int i = 0; i <= 4; i++) {
                double x = xmin + (xmax - xmin) * i / 4;
                sb.append("<text x=\"").append(fmt(px(x, xmin, xmax))).append("\" y=\"").append(H - BOTTOM + 16)
                        .append("\" text-anchor=\"middle\" font-size=\"11\">").append(fmt(x)).append("</text>");
            }
            sb.append("<text x=\"").append((LEFT + W - RIGHT) / 2).append("\" y=\"").append(H - 8)
                    .append("\" text-anchor=\"middle\" font-size=\"12\">").append(esc(xLabel)).append("</text>\n");
        }
        sb.append("<text transform=\"translate(14,").append((TOP + H - BOTTOM) / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">").append(esc(yLabel)).append("</text>\n");
        return sb;
    }

    private static void legend(StringBuilder sb, int i, String name, String colour) {
        int y = TOP + 8 + i * 18;
        sb.append("<rect x=\"").append(W - RIGHT + 10).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"12\" fill=\"")
                .append(colour).append("\"/><text x=\"").append(W - RIGHT + 28).append("\" y=\"").append(y + 1)
                .append("\" font-size=\"11\">").append(esc(name.length() > 20 ? name.substring(0, 19) + "…" : name))
                .append("</text>\n");
    }

    private static double px(double x, double xmin, double xmax) {
        return LEFT + (x - xmin) / (xmax - xmin) * (W - LEFT - RIGHT);
    }

    private static double py(double y, double ymax) {
        return H - BOTTOM - y / ymax * (H - TOP - BOTTOM);
    }

    static double niceCeil(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 1 ? "%.2f" : "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
