package dev.snpsim.bench.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable form of the figures: one line per figure with its unit and ratio. */
final class Table {
    private Table() {
    }

    static void print(Map<String, Object> f, PrintWriter out) {
        out.printf(Locale.ROOT, "snpsim bench%s  %s  %s cores  %s  load average %.1f%n",
                Boolean.TRUE.equals(f.get("quick")) ? " --quick" : "", f.get("date"), f.get("cores"), f.get("java"),
                num(f, "loadAverage"));
        out.printf(Locale.ROOT, "%-44s %16s  %s%n", "figure", "value", "note");
        row(out, "floor, one core (sign + verify)", num(f, "floorOneCore"), "att/s", String.format(Locale.ROOT,
                "in slices during the runs: %.0f (workers), %.0f (inline); alone before %.0f, after %.0f",
                num(f, "floorOneCoreDuringReference"), num(f, "floorOneCoreDuringInline"),
                num(f, "floorOneCoreBefore"), num(f, "floorOneCoreAfter")));
        row(out, "floor, all cores", num(f, "floorAllCores"), "att/s", String.format(Locale.ROOT,
                "%s threads; before %.0f, after %.0f; %.2fx the one-core floor", f.get("floorThreads"),
                num(f, "floorAllCoresBefore"), num(f, "floorAllCoresAfter"), num(f, "floorAllCoresToOneCore")));
        row(out, "virtual time: reference scenario", num(f, "virtualAttestationsPerSecond"), "att/s",
                String.format(Locale.ROOT, "ratio to the floor during it %.3f (target 1.6); %s worker(s) + sim thread",
                        num(f, "virtualToFloorRatio"), f.get("offloadWorkers")));
        row(out, "  per cpu second of the whole process", num(f, "virtualAttestationsPerProcessCpuSecond"), "att/s",
                String.format(Locale.ROOT, "ratio to the floor per cpu second (%.0f) %.3f; %.1f cpu s, sim thread %.1f",
                        num(f, "floorOneCorePerCpuSecond"), num(f, "virtualToFloorProcessCpuRatio"),
                        num(f, "referenceProcessCpuSeconds"), num(f, "referenceCpuSeconds")));
        if (f.get("referenceJitCpuSeconds") != null) {
            row(out, "  jvm threads during it: jit, gc", num(f, "referenceJitCpuSeconds"), "cpu s",
                    String.format(Locale.ROOT, "gc %.1f cpu s (inline run: jit %.1f, gc %.1f); they share the cores",
                            num(f, "referenceGcCpuSeconds"), num(f, "inlineJitCpuSeconds"), num(f, "inlineGcCpuSeconds")));
        }
        row(out, "  the same, sim thread only (inline)", num(f, "virtualInlineAttestationsPerSecond"), "att/s",
                String.format(Locale.ROOT, "ratio to the floor during it %.3f (target 0.9); workers made it %.2fx faster",
                        num(f, "virtualInlineToFloorRatio"), num(f, "virtualOffloadSpeedup")));
        row(out, "  inline, per cpu second of the sim thread", num(f, "virtualInlineAttestationsPerCpuSecond"), "att/s",
                String.format(Locale.ROOT, "ratio to the floor per cpu second %.3f; digests %s",
                        num(f, "virtualInlineToFloorCpuRatio"),
                        Boolean.TRUE.equals(f.get("referenceDigestsMatch")) ? "match" : "DIFFER"));
        if (f.get("inlineAllocatedBytesPerAttestation") != null) {
            row(out, "  inline, allocated per attestation", num(f, "inlineAllocatedBytesPerAttestation") / 1024, "KiB",
                    String.format(Locale.ROOT, "by the sim thread, boot and results included; the floor loop %.1f KiB",
                            num(f, "floorAllocatedBytesPerAttestation") / 1024));
        }
        row(out, "speed-up: reference scenario", num(f, "speedupReferenceHour"), "x", String.format(Locale.ROOT,
                "%.0f s simulated in %.1f s wall, %,d verified, %s guests x 4 vcpus, psp %.0f%% busy, p99 %.1f ms",
                num(f, "referenceSimulatedSeconds"), num(f, "referenceWallSeconds"), (long) num(f, "referenceVerified"),
                f.get("referenceGuests"), 100 * num(f, "referencePspUtilisation"), num(f, "referenceLatencyP99Ms")));
        row(out, "speed-up: sparse day", num(f, "speedupSparseDay"), "x",
                "1,000 actors x 1 timer per simulated minute for 24 h");
        row(out, "real time: flat out, no modelled latency", num(f, "realtimeAttestationsPerSecond"), "att/s",
                String.format(Locale.ROOT, "ratio to all-core floor %.3f (%s guests, closed loop)",
                        num(f, "realtimeToFloorRatio"), f.get("realtimeGuests")));
        if (f.containsKey("scaleMaxGuests")) {
            row(out, "scale: largest fleet, -Xmx" + f.get("scaleHeap"), num(f, "scaleMaxGuests"), "guests",
                    String.format(Locale.ROOT, "%,d vcpu actors, %.0f s simulated, %.1f KiB heap per guest",
                            (long) num(f, "scaleMaxVcpus"), num(f, "scaleSimulatedSeconds"),
                            num(f, "scaleHeapPerGuestBytes") / 1024));
            for (Object o : (List<?>) f.get("scaleProbes")) {
                Map<?, ?> p = (Map<?, ?>) o;
                out.printf(Locale.ROOT, "    probe %,7d guests: %s (%.1f s wall)%n", ((Number) p.get("guests")).intValue(),
                        p.get("result"), ((Number) p.get("wallSeconds")).doubleValue());
            }
        } else {
            out.println("scale: skipped");
        }
        Object micro = f.get("micro");
        if (micro instanceof Map<?, ?> m) {
            out.println("micro (JMH, ops/s, one fork, 2 x 1 s):");
            m.forEach((k, v) -> out.printf(Locale.ROOT, "    %-40s %,16.0f%n", k, ((Number) v).doubleValue()));
        } else {
            out.println("micro: skipped" + (Boolean.TRUE.equals(f.get("quick")) ? " (--quick)" : ""));
        }
    }

    private static void row(PrintWriter out, String name, double value, String unit, String note) {
        out.printf(Locale.ROOT, "%-44s %,12.1f %-6s %s%n", name, value, unit, note);
    }

    private static double num(Map<String, Object> f, String key) {
        Object v = f.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
