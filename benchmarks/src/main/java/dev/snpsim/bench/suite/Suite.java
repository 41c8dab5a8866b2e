package dev.snpsim.bench.suite;

import dev.snpsim.bench.sim.SimCoreBench;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.scenario.run.SimulatedPointExecutor;
import dev.snpsim.sim.RunStats;
import dev.snpsim.sim.offload.Offload;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every figure of {@code snpsim bench} in one process, so that ratios compare figures
 * measured minutes apart on the same machine, and returns them as an ordered map (the JSON
 * keys). Both floors are measured before and after the reference scenario; the ratios use
 * the means and the map keeps both ends as the spread.
 */
public final class Suite {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The longest warm-up on the reference scenario (shorter if the reference itself is). */
    static final Duration WARM_SPAN = Duration.ofMinutes(10);
    private final Settings s;
    private final PrintWriter log;

    /**
     * What to run.
     *
     * @param floorWindow     how long each floor measurement loops
     * @param guests          the reference scenario's guests
     * @param reference       the reference scenario's simulated duration
     * @param sparseSpan      the sparse workload's simulated span (1,000 actors)
     * @param realtimeGuests  guests of the flat-out wall-clock run
     * @param realtimeSpan    its wall-clock duration
     * @param scaleCounts     guest counts the scale ladder tries in order (empty: no scale probe)
     * @param scaleSpan       simulated time of each scale probe
     * @param scaleHeap       the child JVM's heap, e.g. 4g
     * @param scaleCap        wall-time cap of one probe
     * @param micro           whether to run the JMH micro-benchmarks
     * @param workDir         certificate blob files and probe logs
     */
    public record Settings(Duration floorWindow, int guests, Duration reference, Duration sparseSpan,
                           int realtimeGuests, Duration realtimeSpan, List<Integer> scaleCounts, Duration scaleSpan,
                           String scaleHeap, Duration scaleCap, boolean micro, Path workDir) {
        /** The full run: an hour of the reference scenario, the scale ladder to 40,000 guests, micro. */
        public static Settings full(Path workDir) {
            return new Settings(Duration.ofSeconds(5), 1000, Duration.ofHours(1), Duration.ofHours(24), 100,
                    Duration.ofSeconds(20), List.of(1000, 5000, 10000, 20000, 40000), Duration.ofHours(1), "4g",
                    Duration.ofMinutes(15), true, workDir);
        }

        /** About a minute: a few simulated minutes of the reference, a 200-guest scale probe, no JMH. */
        public static Settings quick(Path workDir) {
            return new Settings(Duration.ofSeconds(2), 1000, Duration.ofMinutes(3), Duration.ofHours(24), 50,
                    Duration.ofSeconds(5), List.of(200), Duration.ofMinutes(10), "4g", Duration.ofMinutes(2), false,
                    workDir);
        }
    }

    /** @param log where progress lines go (stderr in the CLI, so JSON on stdout stays clean) */
    public Suite(Settings settings, PrintWriter log) {
        this.s = settings;
        this.log = log;
    }

    /** Runs everything; the map's values are numbers, strings, lists or maps (JSON-ready). */
    public Map<String, Object> run() throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        f.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        f.put("cores", cores);
        f.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        f.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        step("floor, one core");
        Floor.Rate first = Floor.measure(1, s.floorWindow());
        double one0 = first.perWallSecond();
        step("floor, " + cores + " threads");
        double all0 = Floor.attestationsPerSecond(cores, s.floorWindow());

        Macro macro = new Macro(s.workDir());
        step("warm-up: the seed's key hierarchy (RSA-4096 roots) and the JIT, on a 2-guest run");
        macro.run(Macro.referenceYaml(2, Duration.ofSeconds(60), 1.0 / 5), false);
        // the reference scenario itself, long enough for the compilers to settle: with a shorter or
        // smaller warm-up they compiled for seconds of CPU during the measured hour, on the same two cores
        Duration warmSpan = s.reference().compareTo(WARM_SPAN) < 0 ? s.reference() : WARM_SPAN;
        step("warm-up: the JIT on both paths, " + s.guests() + " guests for " + warmSpan.toSeconds()
                + " simulated s with workers, then inline");
        macro.run(Macro.referenceYaml(s.guests(), warmSpan), false);
        inline(() -> macro.run(Macro.referenceYaml(s.guests(), warmSpan), false));
        Offload pool = Offload.shared();
        step("reference scenario: " + s.guests() + " guests x 4 vcpus, " + s.reference().toSeconds()
                + " s simulated (virtual time), signatures on " + pool.workers() + " worker(s) + the simulation thread");
        Offload.Stats w0 = pool.stats();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long proc0 = processCpuNanos();
        VmThreads vm0 = VmThreads.now();
        Paired ref = paired(macro, pool, false);
        VmThreads refVm = VmThreads.since(vm0, VmThreads.now());
        double refCpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9 - ref.floor.sliceCpuSeconds();
        double refProcessCpuSeconds = (processCpuNanos() - proc0) / 1e9 - ref.floor.sliceCpuSeconds();
        Offload.Stats w1 = pool.stats();
        step("the same on the simulation thread alone (offload inline)");
        long icpu0 = THREADS.getCurrentThreadCpuTime();
        VmThreads ivm0 = VmThreads.now();
        Paired inline = paired(macro, Offload.inline(), true);
        VmThreads inlineVm = VmThreads.since(ivm0, VmThreads.now());
        double inlineCpuSeconds = (THREADS.getCurrentThreadCpuTime() - icpu0) / 1e9 - inline.floor.sliceCpuSeconds();
        step("floor, one core (again)");
        Floor.Rate second = Floor.measure(1, s.floorWindow());
        double one1 = second.perWallSecond();
        step("floor, " + cores + " threads (again)");
        double all1 = Floor.attestationsPerSecond(cores, s.floorWindow());
        double all = (all0 + all1) / 2;
        Floor.Rate refFloor = ref.floor.rate();
        Floor.Rate inlineFloor = inline.floor.rate();
        double one = (refFloor.perWallSecond() + inlineFloor.perWallSecond()) / 2;
        double oneCpu = (refFloor.perCpuSecond() + inlineFloor.perCpuSecond()) / 2;
        double virtual = ref.perWallSecond();
        double inlineVirtual = inline.perWallSecond();
        long verified = ref.result.totals().verified();

        f.put("floorOneCore", one);
        f.put("floorOneCoreDuringReference", refFloor.perWallSecond());
        f.put("floorOneCoreDuringInline", inlineFloor.perWallSecond());
        f.put("floorOneCoreBefore", one0);
        f.put("floorOneCoreAfter", one1);
        f.put("floorOneCoreSlices", ref.floor.slices() + inline.floor.slices());
        f.put("floorAllCores", all);
        f.put("floorAllCoresBefore", all0);
        f.put("floorAllCoresAfter", all1);
        // what the machine itself gains from a second thread on pure signing and verifying: the
        // ceiling of any simulator's two-thread ratio (each measured right after its one-core floor)
        f.put("floorAllCoresToOneCore", (all0 / one0 + all1 / one1) / 2);
        f.put("floorThreads", cores);
        f.put("virtualAttestationsPerSecond", virtual);
        f.put("virtualToFloorRatio", virtual / refFloor.perWallSecond());
        f.put("speedupReferenceHour", ref.result.simulatedSeconds() / ref.wallSeconds);
        f.put("floorOneCorePerCpuSecond", oneCpu);
        f.put("virtualAttestationsPerProcessCpuSecond", verified / refProcessCpuSeconds);
        f.put("virtualToFloorProcessCpuRatio", verified / refProcessCpuSeconds / refFloor.perCpuSecond());
        f.put("referenceCpuSeconds", refCpuSeconds);
        if (refVm != null && inlineVm != null) {
            f.put("referenceJitCpuSeconds", refVm.jitSeconds());
            f.put("referenceGcCpuSeconds", refVm.gcSeconds());
            f.put("inlineJitCpuSeconds", inlineVm.jitSeconds());
            f.put("inlineGcCpuSeconds", inlineVm.gcSeconds());
        }
        f.put("referenceProcessCpuSeconds", refProcessCpuSeconds);
        f.put("offloadWorkers", pool.workers());
        f.put("offloadTasksByWorkers", w1.byWorkers() - w0.byWorkers());
        f.put("offloadTasksByJoiners", w1.byJoiners() - w0.byJoiners());
        f.put("offloadTasksHelped", w1.helped() - w0.helped());
        f.put("virtualInlineAttestationsPerSecond", inlineVirtual);
        f.put("virtualInlineToFloorRatio", inlineVirtual / inlineFloor.perWallSecond());
        f.put("virtualInlineAttestationsPerCpuSecond", inline.result.totals().verified() / inlineCpuSeconds);
        f.put("virtualInlineToFloorCpuRatio", inline.result.totals().verified() / inlineCpuSeconds
                / inlineFloor.perCpuSecond());
        if (inline.allocatedBytes() >= 0) {
            // the garbage per attestation: the simulation thread of the one-thread run (the 1,000
            // VMs' boot and the results collection included) against the floor loop's
            f.put("inlineAllocatedBytesPerAttestation",
                    (double) inline.allocatedBytes() / Math.max(1, inline.result.totals().verified()));
            f.put("floorAllocatedBytesPerAttestation", inline.floor.allocatedBytesPerAttestation());
        }
        f.put("virtualOffloadSpeedup", virtual / inlineVirtual);
        f.put("referenceInlineWallSeconds", inline.wallSeconds);
        f.put("referenceInlineCpuSeconds", inlineCpuSeconds);
        f.put("referenceInlineDigest", inline.result.digest());
        f.put("referenceDigestsMatch", inline.result.digest().equals(ref.result.digest())
                && inline.result.totals().equals(ref.result.totals()));
        f.put("referenceFailed", ref.result.totals().failed());
        f.put("referenceGuests", s.guests());
        f.put("referenceSimulatedSeconds", ref.result.simulatedSeconds());
        f.put("referenceWallSeconds", ref.wallSeconds);
        f.put("referenceVerified", verified);
        f.put("referenceEvents", ref.result.events());
        f.put("referencePspUtilisation", ref.result.psp().utilisation());
        f.put("referenceLatencyP99Ms", ref.result.tenants().get(0).latencyMs().p99());
        f.put("referenceDigest", ref.result.digest());

        step("sparse workload: 1,000 actors x 1 timer per simulated minute, " + s.sparseSpan().toHours() + " h");
        RunStats sparse = SimCoreBench.sparseDay(1000, s.sparseSpan(), false);
        f.put("speedupSparseDay", sparse.speedup());

        step("flat out on the wall clock: " + s.realtimeGuests() + " guests x 4 vcpus, closed loop, psp service "
                + "time 0, " + s.realtimeSpan().toSeconds() + " s after boot");
        FlatOut.Result rt = FlatOut.run(s.realtimeGuests(), s.realtimeSpan(), Macro.SEED, s.workDir());
        f.put("realtimeAttestationsPerSecond", rt.perSecond());
        f.put("realtimeToFloorRatio", rt.perSecond() / all);
        f.put("realtimeGuests", s.realtimeGuests());
        f.put("realtimeVerified", rt.verified());
        f.put("realtimeFailed", rt.failed());
        f.put("realtimeWallSeconds", rt.wallSeconds());

        if (!s.scaleCounts().isEmpty()) {
            scale(f);
        }
        if (s.micro()) {
            step("micro-benchmarks (JMH, one fork each)");
            f.put("micro", Micro.run());
        }
        return f;
    }

    private void scale(Map<String, Object> f) {
        List<Map<String, Object>> probes = new ArrayList<>();
        ScaleProbe.Result best = null;
        for (int n : s.scaleCounts()) {
            step("scale probe: " + n + " guests x 4 vcpus, " + s.scaleSpan().toSeconds() + " s simulated, -Xmx"
                    + s.scaleHeap());
            ScaleProbe.Result r = ScaleProbe.probe(n, s.scaleSpan(), s.scaleHeap(), s.scaleCap(), s.workDir());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("guests", n);
            p.put("ok", r.ok());
            p.put("result", r.why());
            p.put("wallSeconds", r.wallSeconds());
            p.put("verified", r.verified());
            if (r.ok()) {
                p.put("heapBytes", r.heapBytes());
                p.put("heapPerGuestBytes", r.heapPerGuestBytes());
                best = r;
            }
            probes.add(p);
            if (!r.ok()) {
                break;
            }
        }
        f.put("scaleHeap", s.scaleHeap());
        f.put("scaleSimulatedSeconds", s.scaleSpan().toSeconds());
        f.put("scaleMaxGuests", best == null ? 0 : best.guests());
        f.put("scaleMaxVcpus", best == null ? 0 : 4L * best.guests());
        f.put("scaleHeapPerGuestBytes", best == null ? 0.0 : best.heapPerGuestBytes());
        f.put("scaleProbes", probes);
    }

    /**
     * A reference run with its one-core floor measured in slices during it.
     *
     * @param wallSeconds    the run's wall time without the floor's slices
     * @param allocatedBytes what the calling (simulation) thread allocated during the run, less
     *                       the floor's slices; -1 where the JVM does not count it
     */
    private record Paired(PointResult result, PairedFloor floor, double wallSeconds, long allocatedBytes) {
        double perWallSecond() {
            return result.totals().verified() / wallSeconds;
        }
    }

    /** The reference scenario, pausing {@code pool} for a floor slice of 0.2 s after each second of it. */
    private Paired paired(Macro macro, Offload pool, boolean inline) {
        PairedFloor floor = new PairedFloor(pool, 1_000_000_000L, 200_000_000L);
        java.util.function.Supplier<PointResult> run = () -> macro.run(Macro.referenceYaml(s.guests(), s.reference()),
                false, floor);
        long a0 = PairedFloor.allocatedBytes();
        PointResult r = inline ? inline(run) : run.get();
        long a1 = PairedFloor.allocatedBytes();
        double wall = r.wallSeconds() - floor.sliceWallSeconds();
        long allocated = a0 < 0 || a1 < 0 ? -1 : a1 - a0 - floor.sliceAllocatedBytes();
        if (floor.slices() == 0) {
            floor.slice(); // a run shorter than a second: measure its floor just after it
        }
        return new Paired(r, floor, wall, allocated);
    }

    /** Runs {@code run} with offloaded work inline on the simulation thread. */
    private static PointResult inline(java.util.function.Supplier<PointResult> run) {
        System.setProperty(SimulatedPointExecutor.INLINE_OFFLOAD, "true");
        try {
            return run.get();
        } finally {
            System.clearProperty(SimulatedPointExecutor.INLINE_OFFLOAD);
        }
    }

    /** CPU time of every thread of this JVM (workers, GC and JIT included). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private void step(String what) {
        log.printf(Locale.ROOT, "bench: %s ...%n", what);
        log.flush();
    }
}
