package dev.snpsim.scenario;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in scenario files: {@code 250us}, {@code 8ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1.5s}, or ISO-8601. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            double nanosPer = switch (m.group(2)) {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> 86400e9;
            };
            return Duration.ofNanos(Math.round(v * nanosPer));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 250us, 8ms, 2s, 5m, 1h)");
        }
    }

    /** The short form used in files and reports ("8ms", "1m30s" stays "90s"). */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns % 3_600_000_000_000L == 0 && ns != 0) {
            return ns / 3_600_000_000_000L + "h";
        }
        if (ns % 60_000_000_000L == 0 && ns != 0) {
            return ns / 60_000_000_000L + "m";
        }
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        if (ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        }
        if (ns % 1_000L == 0) {
            return ns / 1_000L + "us";
        }
        return ns + "ns";
    }
}
