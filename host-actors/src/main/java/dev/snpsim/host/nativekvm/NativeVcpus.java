package dev.snpsim.host.nativekvm;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.host.kvm.Vm;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The real vCPUs of one launched simulated VM: owns a {@link NativeVm} with as many vCPUs, runs
 * the guest program on them (each vCPU on its own dedicated thread) and bridges every doorbell
 * into the simulated VM's {@link Vcpu} actor of the same index through a {@link DriverBridge}.
 * When every vCPU has halted, or on {@link Stop}, it stops; stopping (for any reason, the
 * parent's stop included) stops the vCPUs, frees the VM (fds, mappings) and then tells
 * {@link Setup#replyTo()} {@link Finished}.
 *
 * <p>One actor per VM, not per vCPU: KVM creates vCPUs on the VM's fd and the VM's memory and
 * fds are freed together ({@link NativeVm} is all-or-nothing), and the driver state the bridge
 * plays (VMPCK0, its sequence counter, the mutex that lets one request through at a time) is
 * per guest, not per vCPU. The per-vCPU work runs on the vCPU threads, not here.
 *
 * <p>Stopping waits (briefly: each vCPU thread notices within ~20 ms) for the vCPU threads to
 * end: spawn this actor on a blocking dispatcher ({@code DispatcherSelector.blocking()}).
 * Real time only: the vCPUs run on the wall clock.
 */
public final class NativeVcpus extends AbstractBehavior<NativeVcpus.Command> {
    /** Everything the actor accepts. */
    public interface Command {
    }

    /** Stops the run now: the vCPUs are stopped, the VM freed, then {@link Finished} is sent. */
    public record Stop() implements Command {
    }

    /**
     * The run is over and the VM freed.
     *
     * @param outcomes per real vCPU: HALTED with the guest's counters, STOPPED or FAILED
     * @param kvm      real KVM exits, doorbells, per-doorbell latency
     * @param bridge   what the bridge did: requests, BUSY, INVALID_LEN, verified reports, failures
     * @param certBuffers each real vCPU's whole certificate buffer as the guest left it, read from real
     *                    guest memory just before the VM was freed
     * @param error    why the run could not start or the VM could not be freed; empty if all went well
     */
    public record Finished(List<VcpuOutcome> outcomes, NativeRunStats.Snapshot kvm, BridgeStats.Snapshot bridge,
            List<byte[]> certBuffers, String error) {
    }

    /**
     * How to start.
     *
     * @param vm             the native VM (its vCPU count must not exceed the launched VM's)
     * @param launched       the simulated VM, launched: its memory, vCPUs and secrets page
     * @param ark            the trust anchor reports are verified against
     * @param verifier       how reports are judged
     * @param vmgexitTimeout how long one VMGEXIT may take before the request fails
     * @param stats          where the bridge counts (live; also in {@link Finished})
     * @param replyTo        gets {@link Finished} once
     */
    public record Setup(NativeVmConfig vm, Vm.Launched launched, X509Certificate ark, ReportVerifier verifier,
            Duration vmgexitTimeout, BridgeStats stats, ActorRef<Finished> replyTo) {
    }

    private record Poll() implements Command {
    }

    private static final Duration POLL = Duration.ofMillis(10);

    private final Setup setup;
    private final NativeVm vm;
    private final DriverBridge bridge;

    public static Behavior<Command> create(Setup setup) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            NativeVm vm;
            try {
                checkLaunched(setup);
                vm = NativeVm.create(setup.vm());
            } catch (RuntimeException e) {
                return failed(setup, e.getMessage());
            }
            DriverBridge bridge;
            try {
                bridge = bridge(setup, vm, ctx.getSystem());
                vm.start(bridge);
            } catch (RuntimeException e) {
                vm.close();
                return failed(setup, e.getMessage());
            }
            timers.startTimerWithFixedDelay(new Poll(), POLL);
            return new NativeVcpus(ctx, setup, vm, bridge);
        }));
    }

    private NativeVcpus(ActorContext<Command> ctx, Setup setup, NativeVm vm, DriverBridge bridge) {
        super(ctx);
        this.setup = setup;
        this.vm = vm;
        this.bridge = bridge;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Poll.class, m -> allEnded() ? Behaviors.stopped() : this)
                .onMessage(Stop.class, m -> Behaviors.stopped())
                .onSignal(PostStop.class, s -> onPostStop())
                .build();
    }

    private boolean allEnded() {
        return vm.outcomes().stream().allMatch(o -> o.state() != VcpuOutcome.State.RUNNING);
    }

    private Behavior<Command> onPostStop() {
        bridge.close();
        List<byte[]> certBuffers = new ArrayList<>();
        int bytes = vm.program().config().maxCertPages() * GuestProgram.PAGE;
        for (int i = 0; i < vm.config().vcpus(); i++) {
            certBuffers.add(vm.memory().read(vm.certBufferGpa(i), bytes));
        }
        String error = "";
        try {
            vm.close();
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        setup.replyTo().tell(new Finished(vm.outcomes(), vm.stats().snapshot(), bridge.stats().snapshot(),
                List.copyOf(certBuffers), error));
        return this;
    }

    private static void checkLaunched(Setup s) {
        Vm.Launched l = s.launched();
        if (l.status() != FirmwareStatus.SUCCESS) {
            throw KvmException.of("simulated vm %s did not launch: %s", l.vmId(), l.status());
        }
        if (l.secretsPageGpa() < 0) {
            throw KvmException.of("simulated vm %s has no secrets page (not an snp vm): no vmpck to seal with",
                    l.vmId());
        }
        if (l.vcpus().size() < s.vm().vcpus()) {
            throw KvmException.of("native vm has %d vcpus but simulated vm %s only %d", s.vm().vcpus(), l.vmId(),
                    l.vcpus().size());
        }
    }

    /**
     * Shares each vCPU's request, response and certificate pages in the simulated guest (the
     * guest's page-state change) at the native VM's GPAs, reads VMPCK0, and builds the bridge.
     */
    private static DriverBridge bridge(Setup s, NativeVm vm, ActorSystem<?> system) {
        dev.snpsim.host.kvm.GuestMemory memory = s.launched().memory();
        long nativeSize = vm.memory().size();
        if (nativeSize > Vm.IMAGE_GPA || !memory.inRange(0, nativeSize)) {
            throw KvmException.of("native vm memory ends at 0x%x (expected: at most 0x%x, below the simulated"
                    + " vm's boot image and inside its 0x%x bytes); use fewer vcpus or certificate pages",
                    nativeSize, Vm.IMAGE_GPA, memory.size());
        }
        int pages = 2 + vm.program().config().maxCertPages();
        for (int i = 0; i < vm.config().vcpus(); i++) {
            memory.setShared(vm.areaGpa(i) + GhcbLayout.AREA_REQUEST_PAGE, pages, true);
        }
        byte[] vmpck0 = SecretsPage.decode(memory.guestRead(s.launched().secretsPageGpa(), SecretsPage.SIZE)).vmpck0();
        List<ActorRef<Vcpu.Command>> vcpus = s.launched().vcpus();
        Duration timeout = s.vmgexitTimeout();
        DriverBridge.VmgexitPort port = (vcpu, code, info1, info2, rax, rbx) -> AskPattern.ask(vcpus.get(vcpu),
                replyTo -> new Vcpu.Vmgexit(code, info1, info2, rax, rbx, replyTo), timeout, system.scheduler());
        return new DriverBridge(memory, vmpck0, port, s.verifier(), s.ark(), timeout, s.stats());
    }

    private static Behavior<Command> failed(Setup s, String why) {
        s.replyTo().tell(new Finished(List.of(), new NativeRunStats(0).snapshot(), s.stats().snapshot(),
                List.of(), why == null ? "failed" : why));
        return Behaviors.stopped();
    }
}
