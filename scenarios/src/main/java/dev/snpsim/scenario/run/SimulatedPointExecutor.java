package dev.snpsim.scenario.run;

import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.host.HostConfig;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.VmmConfig;
import dev.snpsim.psp.CommandKind;
import dev.snpsim.psp.PspConfig;
import dev.snpsim.psp.queue.QueueDiscipline;
import dev.snpsim.psp.service.ServiceTime;
import dev.snpsim.psp.service.ServiceTimes;
import dev.snpsim.scenario.HostDefaults;
import dev.snpsim.scenario.HostSpec;
import dev.snpsim.scenario.PointExecutor;
import dev.snpsim.scenario.ScenarioException;
import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.ScenarioSpec;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.sim.ProgressListener;
import dev.snpsim.sim.RunStats;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.offload.Offload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs a scenario point on the simulated host, in virtual time or on the wall clock. */
public final class SimulatedPointExecutor implements PointExecutor {
    /** One key hierarchy per seed and process: RSA-4096 roots take seconds, and equal seeds give equal keys. */
    private static final Map<Long, KeyHierarchy> KEYS = new ConcurrentHashMap<>();

    private final Path workDir;

    /**
     * System property: {@code true} runs signatures and checks on the simulation thread instead of
     * the shared workers (the same results and digest, slower).
     */
    public static final String INLINE_OFFLOAD = "snpsim.inlineOffload";

    /** How many relying-party verdicts may wait for their signature checks (virtual time). */
    static final int VERDICT_LAG = 256;

    /** @param workDir where each run's certificate blob file lives */
    public SimulatedPointExecutor(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public PointResult run(ScenarioLoader.Point point, boolean realtime, ProgressListener progress) {
        ScenarioSpec spec = point.spec();
        Plan plan = Plan.of(spec);
        KeyHierarchy keys = KEYS.computeIfAbsent(point.seed(), KeyHierarchy::create);
        HostConfig host = hostConfig(spec.host(), plan, keys, point.seed(), blobFile(point));
        SimConfig config = realtime ? SimConfig.realtime(point.seed()) : SimConfig.virtual(point.seed());
        boolean inline = Boolean.getBoolean(INLINE_OFFLOAD); // same results and digest, one thread
        if (inline) {
            config = config.withInlineOffload();
        }
        // in virtual time verdicts may lag VERDICT_LAG answers while workers check signatures;
        // in real time the workloads already run on several threads, and check at once
        RelyingParty rp = realtime ? new RelyingParty(keys.arkCertificate(plan.product()))
                : new RelyingParty(keys.arkCertificate(plan.product()), ReportVerifier.withDefaults(),
                        inline ? Offload.inline() : Offload.shared(), VERDICT_LAG);
        String traceDir = System.getProperty("snpsim.traceDir");   // every event, to find where two runs diverge
        if (traceDir != null) {
            config = config.withTraceFile(Path.of(traceDir, spec.name() + "-" + point.seed() + "-"
                    + point.parameters().hashCode() + ".trace"));
        }
        Warmup warmup = new Warmup();
        RunStats stats;
        Metrics metrics;
        String digest;
        try (Simulation<ScenarioHost.Command> sim = Simulation.create(ScenarioHost.create(host, plan, rp, warmup),
                "snpsim", config)) {
            sim.setProgressListener(progress, 200_000, Duration.ofMillis(250));
            stats = sim.runFor(spec.duration());
            rp.flush(); // the verdicts still pending, applied in order on this (the simulation's) thread
            if (sim.system().getWhenTerminated().toCompletableFuture().isDone()) {
                throw new ScenarioException(spec.name() + " seed " + point.seed() + ": the simulated host stopped after "
                        + stats.simulatedNanos() / 1e9 + " of " + spec.duration().toSeconds()
                        + " simulated seconds (its guardian failed; see the log); no figures are reported");
            }
            if (sim.taskFailures() > 0) {
                throw new ScenarioException(spec.name() + " seed " + point.seed() + ": " + sim.taskFailures()
                        + " simulation task(s) threw (logged above); the figures of this run cannot be trusted");
            }
            if (sim.foreignSubmits() > 0) {
                throw new ScenarioException(spec.name() + " seed " + point.seed() + ": " + sim.foreignSubmits()
                        + " task(s) reached the simulation from another thread; the run would not repeat");
            }
            metrics = sim.metrics();
            digest = realtime ? "" : sim.trace().digestHex();
        }
        // collected after close: in real time the actors record until the system has stopped
        return MetricsCollector.collect(point, plan, metrics, stats, digest, warmup);
    }

    private Path blobFile(ScenarioLoader.Point point) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempFile(workDir, point.spec().name() + "-" + point.seed() + "-", ".certs");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the certificate blob file in " + workDir, e);
        }
    }

    static HostConfig hostConfig(HostSpec h, Plan plan, KeyHierarchy keys, long seed, Path blob) {
        PspConfig psp = PspConfig.defaults(plan.product(), keys, seed, plan.initialTcb())
                .withServiceTimes(serviceTimes(h.psp().serviceTime()))
                .withQueue(switch (h.psp().discipline()) {
                    case "drr" -> QueueDiscipline.drr();
                    case "launch-first" -> QueueDiscipline.launchFirst();
                    default -> QueueDiscipline.fifo();
                })
                .withCapacity(h.psp().queueCapacity() == 0 ? Integer.MAX_VALUE : h.psp().queueCapacity())
                .withMetricsWindow(plan.window());
        HostAbiProfile profile;
        try {
            profile = HostAbiProfile.valueOf(h.profile().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("host.profile is '" + h.profile()
                    + "' (expected: COCO, V15_VMGEXIT, SNP_REQ_CERTS or EMPTY_TABLE)");
        }
        HostConfig c;
        try {
            c = HostConfig.defaults(psp, blob).withProfile(profile).withRateLimiter(h.rateLimit())
                    .withVmm(new VmmConfig(true, h.certsTimeout())).withLocking(h.locking());
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("host: " + e.getMessage(), e);
        }
        return h.signingKey().equals("vcek") ? c : c.withInitialVlek(HostDefaults.CSP_ID);
    }

    /** Keys: guestRequest, launchStart, launchUpdate, launchFinish, platform, firmwareDownload, or a command name. */
    static ServiceTimes serviceTimes(Map<String, String> spec) {
        ServiceTimes t = ServiceTimes.defaults();
        for (var e : new java.util.TreeMap<>(spec).entrySet()) {
            ServiceTime time = ServiceTimeParser.parse("host.psp.serviceTime." + e.getKey(), e.getValue());
            for (CommandKind k : kinds(e.getKey())) {
                t = t.with(k, time);
            }
        }
        return t;
    }

    private static CommandKind[] kinds(String key) {
        return switch (key) {
            case "guestRequest" -> new CommandKind[] {CommandKind.SNP_GUEST_REQUEST};
            case "launchStart" -> new CommandKind[] {CommandKind.SNP_LAUNCH_START};
            case "launchUpdate" -> new CommandKind[] {CommandKind.SNP_LAUNCH_UPDATE};
            case "launchFinish" -> new CommandKind[] {CommandKind.SNP_LAUNCH_FINISH};
            case "firmwareDownload" -> new CommandKind[] {CommandKind.SNP_DOWNLOAD_FIRMWARE_EX};
            case "platform" -> new CommandKind[] {CommandKind.SNP_PLATFORM_STATUS, CommandKind.SNP_COMMIT,
                CommandKind.SNP_SET_CONFIG, CommandKind.SNP_VLEK_LOAD, CommandKind.SNP_DECOMMISSION};
            default -> {
                try {
                    yield new CommandKind[] {CommandKind.valueOf(key)};
                } catch (IllegalArgumentException e) {
                    throw new ScenarioException("host.psp.serviceTime." + key + ": unknown command kind (expected: "
                            + "guestRequest, launchStart, launchUpdate, launchFinish, platform, firmwareDownload)");
                }
            }
        };
    }
}
