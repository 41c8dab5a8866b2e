package dev.snpsim.scenario.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/**
 * {@code results.json}: the scenario, and for a single point its figures at the top level;
 * for a sweep (or several seeds) {@code points[]} with one entry per point, and at the top
 * level the first point's figures with {@code totals} summed over all points. A scenario
 * with a baseline adds {@code baseline}: the reference point's figures.
 */
@JsonPropertyOrder({"schemaVersion", "scenario", "description", "mode", "parameters", "seed", "digest"})
public record RunResults(int schemaVersion, String scenario, String description, String mode, String snpsimVersion,
                         @JsonInclude(JsonInclude.Include.NON_NULL) PointResult baseline,
                         @JsonUnwrapped PointResult summary,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PointResult> points, boolean passed) {
    public static final int SCHEMA_VERSION = 1;

    public static RunResults of(String scenario, String description, String mode, String version,
                                List<PointResult> points) {
        return of(scenario, description, mode, version, null, points);
    }

    /** With the scenario's baseline point (null when it has none). */
    public static RunResults of(String scenario, String description, String mode, String version,
                                PointResult baseline, List<PointResult> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a run has at least one point");
        }
        PointResult first = points.get(0);
        PointResult summary = first;
        if (points.size() > 1) {
            PointResult.Counters all = points.stream().map(PointResult::totals)
                    .reduce(PointResult.Counters.ZERO, PointResult.Counters::plus);
            double sim = points.stream().mapToDouble(PointResult::simulatedSeconds).sum();
            double wall = points.stream().mapToDouble(PointResult::wallSeconds).sum();
            long events = points.stream().mapToLong(PointResult::events).sum();
            summary = new PointResult(first.parameters(), first.seed(), combinedDigest(points), sim, wall, events, all,
                    first.tenants(), first.psp(), first.fairness(), first.timeseries(),
                    points.stream().flatMap(p -> p.thresholds().stream()).toList(), first.nativeFigures());
        }
        boolean passed = points.stream().allMatch(PointResult::passed);
        return new RunResults(SCHEMA_VERSION, scenario, description, mode, version, baseline, summary,
                points.size() > 1 ? points : List.of(), passed);
    }

    /** SHA-256 over the points' digests in order: one value that changes when any point does. */
    static String combinedDigest(List<PointResult> points) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            for (PointResult p : points) {
                md.update(p.digest().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                md.update((byte) '\n');
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> parameters() {
        return summary.parameters();
    }
}
