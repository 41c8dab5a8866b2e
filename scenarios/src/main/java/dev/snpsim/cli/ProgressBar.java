package dev.snpsim.cli;

import dev.snpsim.sim.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line on the terminal, redrawn in place: point i/n, simulated time done, events per
 * wall second, ETA. Silent unless stderr is a terminal (and not --quiet); it shows only after
 * two seconds, so short runs print nothing.
 */
final class ProgressBar implements ProgressListener {
    private static final long SHOW_AFTER_NANOS = 2_000_000_000L;
    private final PrintWriter err;
    private final long totalSimNanos;
    private final String label;
    private boolean drawn;

    private ProgressBar(PrintWriter err, long totalSimNanos, String label) {
        this.err = err;
        this.totalSimNanos = totalSimNanos;
        this.label = label;
    }

    static ProgressListener create(PrintWriter err, boolean quiet, long totalSimNanos, int point, int points) {
        if (quiet || System.console() == null) {
            return (s, w, e) -> { };
        }
        return new ProgressBar(err, totalSimNanos, points > 1 ? "point " + (point + 1) + "/" + points + " " : "");
    }

    @Override
    public void onProgress(long simNanos, long wallNanos, long events) {
        if (wallNanos < SHOW_AFTER_NANOS && !drawn) {
            return;
        }
        double done = totalSimNanos <= 0 ? 1 : Math.min(1, simNanos / (double) totalSimNanos);
        int width = 30;
        int fill = (int) Math.round(done * width);
        double eta = done <= 0 ? Double.NaN : wallNanos / 1e9 * (1 - done) / done;
        err.printf(Locale.ROOT, "\r%s[%s%s] %5.1f%%  sim %s  %s events/s  eta %s   ", label, "#".repeat(fill),
                " ".repeat(width - fill), done * 100, seconds(simNanos / 1e9),
                compact(events / Math.max(1e-9, wallNanos / 1e9)), Double.isNaN(eta) ? "?" : seconds(eta));
        drawn = true;
        if (done >= 1) {
            err.print("\r" + " ".repeat(100) + "\r");
        }
        err.flush();
    }

    private static String seconds(double s) {
        return s >= 3600 ? String.format(Locale.ROOT, "%.1fh", s / 3600)
                : s >= 60 ? String.format(Locale.ROOT, "%.1fm", s / 60) : String.format(Locale.ROOT, "%.1fs", s);
    }

    private static String compact(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.1fM", v / 1e6)
                : v >= 1e3 ? String.format(Locale.ROOT, "%.0fk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
    }
}
