package dev.snpsim.host.nativekvm;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.verify.Options;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.host.Host;
import dev.snpsim.host.HostConfig;
import dev.snpsim.host.kvm.SevGate;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.mgmt.Mgmt;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.psp.CommandKind;
import dev.snpsim.psp.PspConfig;
import dev.snpsim.psp.service.ServiceTimeFixed;
import dev.snpsim.psp.service.ServiceTimes;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code native-smoke}: a simulated SNP {@link Host} in real time (PSP, certificate store whose
 * blob the management tool fills from the KDS, KVM with the {@code KVM_EXIT_COCO} certificate
 * exit, VMM, the rate limiter of the config) with one launched VM whose vCPUs are real
 * {@code /dev/kvm} vCPUs running the guest program, bridged by {@link NativeVcpus}. Every report
 * is verified against the certificate table the host returned and the host's ARK.
 *
 * <pre>{@code
 * NativeScenarioResult r = NativeScenario.run(NativeScenarioConfig.defaults());
 * System.out.print(r.describe());
 * }</pre>
 */
public final class NativeScenario {
    /** The simulated chip: Milan, at this TCB. */
    static final Product PRODUCT = Product.MILAN;
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration VMGEXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** Key hierarchies by seed: the RSA-4096 roots take seconds to generate and never change for a seed. */
    private static final Map<Long, KeyHierarchy> KEYS = new ConcurrentHashMap<>();

    private NativeScenario() {
    }

    /** Runs the scenario to its end (or its timeout, then stops it) and frees everything. */
    public static NativeScenarioResult run(NativeScenarioConfig config) throws InterruptedException {
        try (Run run = start(config)) {
            return run.await(config.timeout());
        }
    }

    /**
     * Builds the host, launches the VM and starts its real vCPUs; the caller awaits and closes.
     * Throws {@link KvmException} at once, naming the reason, when this host has no usable KVM.
     */
    public static Run start(NativeScenarioConfig config) {
        return new Run(config, null);
    }

    /** Like {@link #start}, but the bridge trusts {@code trustedArk} instead of the host's own ARK. */
    static Run start(NativeScenarioConfig config, X509Certificate trustedArk) {
        return new Run(config, trustedArk);
    }

    static TcbVersion tcb() {
        return TcbVersion.of(PRODUCT, 0, 3, 0, 8, 115);
    }

    /** One running scenario. {@link #close()} stops it if still running and frees the host. */
    public static final class Run implements AutoCloseable {
        private final NativeScenarioConfig config;
        private final Path dir;
        private final Simulation<Host.Command> sim;
        private final SevGate gate;
        private final byte[] blob;
        private final BridgeStats stats = new BridgeStats();
        private final CompletableFuture<NativeVcpus.Finished> finished = new CompletableFuture<>();
        private final ActorRef<NativeVcpus.Command> vcpus;
        private final long startNanos;
        private volatile long endNanos;

        private Run(NativeScenarioConfig config, X509Certificate trustedArk) {
            this.config = config;
            ProbeResult probe = KvmProbe.probe();
            if (!probe.kvmPresent()) {
                throw new KvmException("native-smoke needs real vcpus: " + probe.summary());
            }
            KeyHierarchy keys = KEYS.computeIfAbsent(config.seed(), KeyHierarchy::create);
            TcbVersion tcb = tcb();
            X509Certificate ark = keys.arkCertificate(PRODUCT);
            try {
                dir = Files.createTempDirectory("snpsim-native-");
                Path blobPath = dir.resolve("certs.blob");
                PspConfig pspConfig = PspConfig.defaults(PRODUCT, keys, config.seed(), tcb).withServiceTimes(
                        ServiceTimes.defaults().with(CommandKind.SNP_GUEST_REQUEST,
                                new ServiceTimeFixed(config.pspRequestTime())));
                HostConfig hostConfig = HostConfig.defaults(pspConfig, blobPath).withRateLimiter(config.rateLimiter());
                sim = Simulation.create(Host.create(hostConfig), "native-smoke", SimConfig.realtime(config.seed())
                        .withConfig("pekko.scheduler.tick-duration = 1ms"));
                Host.Parts parts = get(sim.ask(sim.system(), Host.GetParts::new, LAUNCH_TIMEOUT));
                gate = parts.gate();
                if (parts.initialBlob().result() != Mgmt.Result.DONE) {
                    throw KvmException.of("native-smoke: the host could not write its certificate blob: %s %s",
                            parts.initialBlob().result(), parts.initialBlob().detail());
                }
                blob = Files.readAllBytes(blobPath);
                ActorRef<Vm.Command> vm = get(sim.ask(sim.system(),
                        replyTo -> new Host.CreateVm(VmConfig.snp("vm-0", config.vcpus()), replyTo), LAUNCH_TIMEOUT));
                Vm.Launched launched = get(sim.ask(vm, Vm.Launch::new, LAUNCH_TIMEOUT));
                ActorRef<NativeVcpus.Finished> inbox = sim.spawn(Behaviors.receive(NativeVcpus.Finished.class)
                        .onMessage(NativeVcpus.Finished.class, f -> {
                            endNanos = System.nanoTime();
                            finished.complete(f);
                            return Behaviors.stopped();
                        }).build(), "native-inbox");
                NativeVmConfig vmConfig = new NativeVmConfig(config.vcpus(), new GuestProgramConfig(
                        config.requestsPerVcpu(), config.initialCertPages(), config.maxCertPages()),
                        KvmIoctl.KVM_X86_DEFAULT_VM, VMGEXIT_TIMEOUT.multipliedBy(2));
                NativeVcpus.Setup setup = new NativeVcpus.Setup(vmConfig, launched,
                        trustedArk != null ? trustedArk : ark,
                        new ReportVerifier(Options.defaults().withProduct(PRODUCT)), VMGEXIT_TIMEOUT, stats, inbox);
                startNanos = System.nanoTime();
                vcpus = sim.system().systemActorOf(NativeVcpus.create(setup), "native-vcpus",
                        DispatcherSelector.blocking());
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException("native-smoke: " + e.getMessage(), e);
            } catch (ExecutionException | TimeoutException e) {
                closeQuietly();
                throw new KvmException("native-smoke: host setup failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly();
                throw new KvmException("native-smoke: interrupted while launching the vm", e);
            } catch (RuntimeException e) {
                closeQuietly();
                throw e;
            }
        }

        /** The bridge's counters so far. */
        public BridgeStats.Snapshot progress() {
            return stats.snapshot();
        }

        /** Waits until at least {@code n} reports verified or {@code timeout} passed; true in the first case. */
        public boolean awaitVerified(long n, Duration timeout) throws InterruptedException {
            return stats.awaitVerified(n, timeout);
        }

        /** The host's certificate blob, byte for byte as in its file. */
        public byte[] blob() {
            return blob.clone();
        }

        /** Stops the real vCPUs now; {@link #await} then returns what was done so far. */
        public void stop() {
            vcpus.tell(new NativeVcpus.Stop());
        }

        /** Waits for the end; after {@code timeout} stops the run and returns what was done. */
        public NativeScenarioResult await(Duration timeout) throws InterruptedException {
            NativeVcpus.Finished f;
            try {
                f = finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                stop();
                f = waitStopped();
            } catch (ExecutionException e) {
                throw new KvmException("native-smoke: " + e.getCause(), e.getCause());
            }
            return result(f);
        }

        private static <T> T get(CompletableFuture<T> f)
                throws InterruptedException, ExecutionException, TimeoutException {
            return f.get(LAUNCH_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        }

        private NativeVcpus.Finished waitStopped() throws InterruptedException {
            try {
                return finished.get(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new KvmException("native-smoke: the native vcpus did not stop within " + STOP_WAIT, e);
            }
        }

        private NativeScenarioResult result(NativeVcpus.Finished f) {
            NativeRunStats.Snapshot k = f.kvm();
            BridgeStats.Snapshot b = f.bridge();
            NativeScenarioResult.Percentiles request = new NativeScenarioResult.Percentiles(b.latencyMillis(0.5),
                    b.latencyMillis(0.9), b.latencyMillis(0.99), b.latencyMillis(1.0));
            NativeScenarioResult.Percentiles doorbell = new NativeScenarioResult.Percentiles(
                    k.latencyQuantileNanos(0.5) / 1e6, k.latencyQuantileNanos(0.9) / 1e6,
                    k.latencyQuantileNanos(0.99) / 1e6, k.latencyQuantileNanos(1.0) / 1e6);
            int match = 0;
            for (byte[] buffer : f.certBuffers()) {
                if (buffer.length >= blob.length && Arrays.equals(Arrays.copyOf(buffer, blob.length), blob)) {
                    match++;
                }
            }
            return new NativeScenarioResult(config, (endNanos - startNanos) / 1e9, f.outcomes(), k.exitsByReason(),
                    k.totalExits(), k.meanKvmRunNanos() / 1e3, k.doorbells(), b.requests(), b.vmgexits(), b.busy(),
                    b.invalidLen(), b.verified(), b.verifyFailures(), b.failures(), b.lastFailure(), gate.forwarded(),
                    gate.throttled(), request, doorbell, match, f.error());
        }

        /** Stops the vCPUs if still running, waits for the VM to be freed, shuts the host down. */
        @Override
        public void close() {
            try {
                if (vcpus != null && !finished.isDone()) {
                    stop();
                    waitStopped();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            if (sim != null) {
                sim.close();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temp directory left behind is harmless
                }
            }
        }
    }

    /**
     * {@code NativeScenario [vcpus] [requestsPerVcpu] [rateLimiter] [pspMillis]}: runs and prints the
     * figures; exits 1 unless every request succeeded and every report verified.
     */
    public static void main(String[] args) throws InterruptedException {
        NativeScenarioConfig c = NativeScenarioConfig.defaults();
        if (args.length > 0) {
            c = c.withVcpus(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            c = c.withRequestsPerVcpu(Integer.parseInt(args[1]));
        }
        if (args.length > 2) {
            c = c.withRateLimiter(args[2]);
        }
        if (args.length > 3) {
            c = c.withPspRequestTime(Duration.ofNanos(Math.round(Double.parseDouble(args[3]) * 1e6)));
        }
        System.out.println(KvmProbe.probe().summary());
        NativeScenarioResult r = run(c);
        System.out.print(r.describe());
        System.exit(r.allVerified() ? 0 : 1);
    }
}
