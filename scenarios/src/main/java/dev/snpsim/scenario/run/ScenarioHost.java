package dev.snpsim.scenario.run;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.hostile.Flooder;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.workload.GuestStarter;
import dev.snpsim.host.Host;
import dev.snpsim.host.HostConfig;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.host.mgmt.Mgmt;
import dev.snpsim.psp.Psp;
import dev.snpsim.scenario.HostDefaults;
import dev.snpsim.scenario.ManagementSpec;
import dev.snpsim.sim.SimAsk;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The guardian of one scenario run: starts the {@link Host}, launches each tenant's guests at
 * their time through the PSP, starts their workloads (or floods), and runs the management
 * schedule. Boot latency and management outcomes go to {@link Metrics}.
 */
public final class ScenarioHost extends AbstractBehavior<ScenarioHost.Command> {
    /** Everything the guardian accepts (all internal). */
    public interface Command {
    }

    private record PartsReady(Host.Parts parts) implements Command {
    }

    private record LaunchTenant(int tenant) implements Command {
    }

    private record VmCreated(int tenant, int guest, long askedAt, ActorRef<Vm.Command> vm) implements Command {
    }

    private record VmLaunched(int tenant, int guest, long askedAt, Vm.Launched launched) implements Command {
    }

    private record Manage(int index) implements Command {
    }

    private record Status(int index, Psp.PlatformStatusReply reply) implements Command {
    }

    private record MgmtDone(String action, Mgmt.Done done) implements Command {
    }

    private record Failed(String what, Throwable cause) implements Command {
    }

    private enum EndWarmup implements Command { INSTANCE }

    private static final Duration ASK_TIMEOUT = Duration.ofHours(1);

    private final Plan plan;
    private final RelyingParty rp;
    private final Warmup warmup;
    private final TimerScheduler<Command> timers;
    private final SimClock clock;
    private final Metrics metrics;
    private final Trace trace;
    private final ActorRef<Host.Command> host;
    private Host.Parts parts;
    private int vlekGeneration = 1;
    private int firmwareBuild;

    private ScenarioHost(ActorContext<Command> ctx, TimerScheduler<Command> timers, HostConfig config, Plan plan,
                         RelyingParty rp, Warmup warmup) {
        super(ctx);
        this.plan = plan;
        this.rp = rp;
        this.warmup = warmup;
        this.timers = timers;
        this.clock = SimClock.get(ctx.getSystem());
        this.metrics = Metrics.get(ctx.getSystem());
        this.trace = Trace.get(ctx.getSystem());
        for (Plan.TenantPlan t : plan.tenants()) {   // per-window series the guests record into
            metrics.windowedHistogram("guest/" + t.spec().name() + "/latency-w", plan.window());
            metrics.timeSeries("guest/" + t.spec().name() + "/busy-ts", plan.window());
        }
        metrics.timeSeries("vmm/eagain-ts", plan.window());
        metrics.timeSeries("vmm/lock-wait-ts", plan.window());
        this.host = ctx.spawn(Host.create(config), "host");
        this.firmwareBuild = config.psp().firmware().version().build();
        SimAsk.ask(ctx, Host.Parts.class, host, ASK_TIMEOUT, Host.GetParts::new,
                (p, f) -> f != null ? new Failed("host start", f) : new PartsReady(p));
        if (!plan.warmup().isZero()) {
            timers.startSingleTimer("warmup", EndWarmup.INSTANCE, plan.warmup());
        }
    }

    static Behavior<Command> create(HostConfig config, Plan plan, RelyingParty rp, Warmup warmup) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new ScenarioHost(ctx, t, config, plan, rp, warmup)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PartsReady.class, this::onPartsReady)
                .onMessage(LaunchTenant.class, this::onLaunchTenant)
                .onMessage(VmCreated.class, this::onVmCreated)
                .onMessage(VmLaunched.class, this::onVmLaunched)
                .onMessage(Manage.class, this::onManage)
                .onMessage(Status.class, this::onStatus)
                .onMessage(MgmtDone.class, this::onMgmtDone)
                .onMessage(Failed.class, this::onFailed)
                .onMessageEquals(EndWarmup.INSTANCE, this::onEndWarmup)
                .build();
    }

    private Behavior<Command> onPartsReady(PartsReady m) {
        parts = m.parts();
        if (parts.initialBlob().result() != Mgmt.Result.DONE) {
            metrics.counter("scenario/failures").increment();
            getContext().getLog().error("scenario: the host's initial certificate blob was not written: {}",
                    parts.initialBlob().detail());
        }
        for (int t = 0; t < plan.tenants().size(); t++) {
            Duration at = plan.tenants().get(t).spec().launchAt();
            if (at.isZero()) {
                getContext().getSelf().tell(new LaunchTenant(t));
            } else {
                timers.startSingleTimer("launch-" + t, new LaunchTenant(t), at);
            }
        }
        for (int i = 0; i < plan.management().size(); i++) {
            ManagementSpec ms = plan.management().get(i);
            Duration first = ms.at();
            if (ms.every() != null) {
                timers.startTimerAtFixedRate("mgmt-" + i, new Manage(i), first, ms.every());
            } else {
                timers.startSingleTimer("mgmt-" + i, new Manage(i), first);
            }
        }
        return this;
    }

    private Behavior<Command> onLaunchTenant(LaunchTenant m) {
        Plan.TenantPlan t = plan.tenants().get(m.tenant());
        for (int g = 0; g < t.spec().guests(); g++) {
            int guest = g;
            long asked = clock.now();
            VmConfig vm = VmConfig.snp(t.vmId(g), t.spec().vcpus());
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<ActorRef<Vm.Command>> refClass = (Class) ActorRef.class;
            SimAsk.ask(getContext(), refClass, host, ASK_TIMEOUT, r -> new Host.CreateVm(vm, r),
                    (ref, f) -> f != null ? new Failed("create " + vm.vmId(), f) : new VmCreated(m.tenant(), guest, asked, ref));
        }
        return this;
    }

    private Behavior<Command> onVmCreated(VmCreated m) {
        SimAsk.ask(getContext(), Vm.Launched.class, m.vm(), ASK_TIMEOUT, Vm.Launch::new,
                (l, f) -> f != null ? new Failed("launch", f) : new VmLaunched(m.tenant(), m.guest(), m.askedAt(), l));
        return this;
    }

    private Behavior<Command> onVmLaunched(VmLaunched m) {
        Plan.TenantPlan t = plan.tenants().get(m.tenant());
        String name = t.spec().name();
        if (m.launched().status() != FirmwareStatus.SUCCESS) {
            metrics.counter("boot-failed/" + name).increment();
            trace.record("scenario", "boot-failed", "vm", m.launched().vmId(), "status", m.launched().status());
            return this;
        }
        metrics.histogram("boot/" + name).recordValue(clock.now() - m.askedAt());
        String guestId = m.launched().vmId();
        switch (t.kind()) {
            case WORKLOAD -> GuestStarter.start(getContext(), guestId, t.config(), m.launched(),
                    DriverConfig.linuxDefaults(), rp);
            case FLOOD -> getContext().spawn(Flooder.create(guestId, m.launched(), t.spec().workload().ignoreBusy(),
                    Duration.ofSeconds(2), t.spec().workload().exitCost()), guestId + "-flooder")
                    .tell(Flooder.Start.INSTANCE);
            case IDLE -> { }
        }
        return this;
    }

    private Behavior<Command> onManage(Manage m) {
        SimAsk.ask(getContext(), Psp.PlatformStatusReply.class, parts.psp(), ASK_TIMEOUT, Psp.PlatformStatus::new,
                (r, f) -> f != null ? new Failed("platform status", f) : new Status(m.index(), r));
        return this;
    }

    private Behavior<Command> onStatus(Status s) {
        ManagementSpec ms = plan.management().get(s.index());
        var state = s.reply().state();
        String action = ms.action();
        switch (action) {
            case "rotate-vlek" -> {
                int gen = ++vlekGeneration;
                SimAsk.ask(getContext(), Mgmt.Done.class, parts.mgmt(), ASK_TIMEOUT,
                        r -> new Mgmt.RotateVlek(HostDefaults.CSP_ID, gen, state.reportedTcb().raw(), r),
                        (d, f) -> f != null ? new Failed(action, f) : new MgmtDone(action, d));
            }
            case "firmware-update" -> {
                TcbVersion.Components c = state.currentTcb().components(plan.product());
                TcbVersion next = TcbVersion.of(plan.product(), c.fmc(), c.bootloader(), c.tee(),
                        Math.min(255, c.snp() + 1), c.microcode());
                int build = ++firmwareBuild;
                SimAsk.ask(getContext(), Mgmt.Done.class, parts.mgmt(), ASK_TIMEOUT,
                        r -> new Mgmt.UpdateFirmware(build, state.minor(), state.major(), next, r),
                        (d, f) -> f != null ? new Failed(action, f) : new MgmtDone(action, d));
            }
            case "set-config" -> SimAsk.ask(getContext(), Mgmt.Done.class, parts.mgmt(), ASK_TIMEOUT,
                    r -> new Mgmt.SetReportedTcb(plan.initialTcb(), r),
                    (d, f) -> f != null ? new Failed(action, f) : new MgmtDone(action, d));
            default -> throw new IllegalStateException("unknown management action " + action);
        }
        return this;
    }

    private Behavior<Command> onMgmtDone(MgmtDone m) {
        metrics.counter("mgmt/" + m.action() + "/" + m.done().result().name().toLowerCase(Locale.ROOT)).increment();
        trace.record("scenario", "mgmt-done", "action", m.action(), "result", m.done().result(), "detail", m.done().detail());
        return this;
    }

    private Behavior<Command> onEndWarmup() {
        rp.flush(); // verdicts of answers before the end of the warm-up belong to the warm-up
        warmup.end(metrics, clock.now());
        trace.record("scenario", "warmup-ended");
        return this;
    }

    private Behavior<Command> onFailed(Failed f) {
        metrics.counter("scenario/failures").increment();
        trace.record("scenario", "failed", "what", f.what(), "cause", String.valueOf(f.cause()));
        getContext().getLog().warn("scenario: {} failed: {}", f.what(), f.cause().toString());
        return this;
    }
}
