package dev.snpsim.psp;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.psp.firmware.Firmware;
import dev.snpsim.psp.firmware.SealedResponse;
import dev.snpsim.psp.queue.QueueDiscipline;
import dev.snpsim.psp.queue.Queued;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.SimRandom;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.offload.Offload;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The AMD Secure Processor: one serial firmware that executes one command at a time.
 *
 * <p>Every command waits its turn in the queue discipline of the scenario (FIFO like the
 * real device's mutex, per-VM deficit round robin, or launch commands first), then takes
 * its service time, then answers. A firmware failure travels back as a {@link FirmwareStatus}
 * in the reply, never as an exception. Guest contexts are named by {@code vmId}.
 *
 * <p>PROTOCOL FROZEN for the modules above (host-actors, guest-actors): add messages, do not
 * change these records without telling their owners.
 *
 * <p>Behaviour: a command arriving while the firmware is idle and nothing waits starts at once;
 * otherwise it joins the {@link QueueDiscipline} of the config. A guest request arriving when
 * {@link PspConfig#capacity()} commands already wait is answered {@code QUEUE_FULL} at once.
 * The service time of the command's kind is drawn from the stream {@code <name>/service} when it
 * starts; the command's effect and its reply happen when the service time has elapsed (so a VLEK
 * load changes the signing key exactly at that command boundary), then the next command starts.
 * Metrics and trace: see the package documentation.
 */
public final class Psp extends AbstractBehavior<Psp.Command> {
    /** Everything the PSP accepts. */
    public sealed interface Command permits GuestRequest, LaunchStart, LaunchUpdate, LaunchFinish, Decommission,
            PlatformStatus, Commit, SetConfig, VlekLoad, DownloadFirmware, PspInternal {
    }

    /** Messages the PSP sends itself (service time elapsed, ...); defined by the implementation. */
    public non-sealed interface PspInternal extends Command {
    }

    // ---- guest requests ------------------------------------------------------------------

    /**
     * SNP_GUEST_REQUEST for guest context {@code vmId}: the sealed request page (4 KiB, as the
     * guest wrote it: header + encrypted payload). The PSP opens it with the VMPCK the header
     * names, checks the sequence number, executes it and seals the response with seqno + 1.
     */
    public record GuestRequest(String vmId, byte[] request, ActorRef<GuestResponse> replyTo) implements Command {
    }

    /**
     * The answer to a {@link GuestRequest}. With {@code outcome == QUEUE_FULL} the firmware never
     * saw the request (a bounded queue refused it; the host turns that into BUSY for the guest)
     * and {@code status} is {@code SUCCESS} and {@code response} null. With {@code DONE} the
     * firmware ran it: {@code status} is the firmware status, and {@code response} the sealed
     * response page when the status is {@code SUCCESS} (null otherwise).
     *
     * <p>A successful report may come as {@code sealed}, its bytes still being computed on a
     * worker (the simulation need not wait for the signature where nothing reads the page yet);
     * {@link #response()} then waits for them. A receiver that only stores the page passes
     * {@code sealed} on instead (the vCPU writes it to guest memory as it is).
     */
    public record GuestResponse(String vmId, Outcome outcome, FirmwareStatus status, byte[] response,
                                SealedResponse sealed) {
        /** An answer whose page, if any, is at hand. */
        public GuestResponse(String vmId, Outcome outcome, FirmwareStatus status, byte[] response) {
            this(vmId, outcome, status, response, null);
        }

        /** The sealed response page, or null; a {@link #sealed()} page is waited for. */
        @Override
        public byte[] response() {
            return sealed != null ? sealed.page() : response;
        }
    }

    /** Whether the firmware executed a command or a bounded queue refused it. */
    public enum Outcome { DONE, QUEUE_FULL }

    // ---- guest lifecycle -----------------------------------------------------------------

    /** SNP_LAUNCH_START: creates guest context {@code vmId} with its policy. */
    public record LaunchStart(String vmId, GuestPolicy policy, ActorRef<LaunchReply> replyTo) implements Command {
    }

    /**
     * SNP_LAUNCH_UPDATE of one 4 KiB page at {@code gpa}. {@code page} is the plaintext for
     * NORMAL and VMSA pages, null for ZERO/UNMEASURED/SECRETS/CPUID. For SECRETS (and CPUID)
     * the reply carries the page as the firmware filled it (the secrets page holds the four
     * VMPCKs), which the host places in the guest's private memory.
     */
    public record LaunchUpdate(String vmId, PageType type, long gpa, byte[] page, ActorRef<LaunchReply> replyTo)
            implements Command {
    }

    /** SNP_LAUNCH_FINISH: the ID block (nullable: none) and 32 bytes of host data. */
    public record LaunchFinish(String vmId, byte[] idBlock, byte[] hostData, ActorRef<LaunchReply> replyTo)
            implements Command {
    }

    /** SNP_DECOMMISSION: drops guest context {@code vmId}. */
    public record Decommission(String vmId, ActorRef<LaunchReply> replyTo) implements Command {
    }

    /** The answer to a lifecycle command; {@code page} as described at {@link LaunchUpdate}, else null. */
    public record LaunchReply(String vmId, FirmwareStatus status, byte[] page) {
    }

    // ---- platform commands (the host's /dev/sev) -------------------------------------------

    /** SNP_PLATFORM_STATUS. */
    public record PlatformStatus(ActorRef<PlatformStatusReply> replyTo) implements Command {
    }

    /** The platform as SNP_PLATFORM_STATUS reports it. */
    public record PlatformStatusReply(FirmwareStatus status, PlatformState state) {
    }

    /** SNP_COMMIT: COMMITTED_TCB := CURRENT_TCB; no rollback below it afterwards. */
    public record Commit(ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** SNP_SET_CONFIG; a reported TCB above COMMITTED is refused. */
    public record SetConfig(TcbVersion reportedTcb, boolean maskChipId, boolean maskChipKey,
                            ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** SNP_VLEK_LOAD of a 432-byte wrapped hashstick. */
    public record VlekLoad(byte[] hashstick, ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** DOWNLOAD_FIRMWARE_EX: a new firmware version raising CURRENT_TCB (the VCEK in force changes). */
    public record DownloadFirmware(int build, int minor, int major, TcbVersion newCurrentTcb,
                                   ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** The answer to a platform command other than status; {@code command} names it ("SNP_COMMIT"). */
    public record PlatformReply(String command, FirmwareStatus status) {
    }

    // ---- internal ----------------------------------------------------------------------------

    /** The service time of the command in service has elapsed. */
    private record ServiceDone(long seq) implements PspInternal {
    }

    /** The vmId platform commands are accounted under. */
    public static final String HOST = "host";

    private final PspConfig config;
    private final Firmware firmware;
    private final QueueDiscipline queue;
    private final RandomGenerator serviceRandom;
    private final SimClock clock;
    private final Trace trace;
    private final PspMetrics metrics;
    private final Offload offload;
    private Queued inService;
    private long serviceNanos;
    private long waitNanos;
    private long arrivals;

    /** The PSP behaviour for {@code config}. */
    public static Behavior<Command> create(PspConfig config) {
        return Behaviors.setup(ctx -> new Psp(ctx, config));
    }

    private Psp(ActorContext<Command> ctx, PspConfig config) {
        super(ctx);
        this.config = config;
        SimRandom random = SimRandom.get(ctx.getSystem());
        this.serviceRandom = random.stream(config.name(), "service");
        this.firmware = new Firmware(config.firmware(), random.stream(config.name(), "firmware"));
        this.queue = config.queue().create(config.serviceTimes());
        this.clock = SimClock.get(ctx.getSystem());
        this.trace = Trace.get(ctx.getSystem());
        this.metrics = new PspMetrics(Metrics.get(ctx.getSystem()), config.name(), config.metricsWindow());
        this.offload = Offload.get(ctx.getSystem());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ServiceDone.class, this::onServiceDone)
                .onMessage(PspInternal.class, m -> this)
                .onMessage(Command.class, this::onCommand)
                .build();
    }

    private Behavior<Command> onCommand(Command c) {
        long now = clock.now();
        Queued q = new Queued(arrivals++, vmIdOf(c), CommandKind.of(c), now, c);
        if (inService == null && queue.size() == 0) {
            start(q, now);
        } else if (c instanceof GuestRequest g && queue.size() >= config.capacity()) {
            metrics.refused(q.vmId());
            trace.record(config.name(), "queue-full", "cmd", q.kind().name(), "vm", q.vmId());
            g.replyTo().tell(new GuestResponse(g.vmId(), Outcome.QUEUE_FULL, FirmwareStatus.SUCCESS, null));
        } else {
            queue.add(q);
            metrics.queueDepth(now, queue.size());
        }
        return this;
    }

    private void start(Queued q, long now) {
        inService = q;
        waitNanos = now - q.arrivalNanos();
        serviceNanos = Math.max(0, config.serviceTimes().of(q.kind()).sampleNanos(serviceRandom));
        metrics.started(q.vmId(), waitNanos);
        if (q.command() instanceof GuestRequest g) {
            // the answer is fixed now (serial firmware): sign it on a worker during the service
            // time, and with workers let the response carry the signing on (a SealedResponse)
            firmware.prepareGuestRequest(g.vmId(), g.request(), offload);
        }
        // never cancelled, so a plain scheduled message (a typed timer would also intercept every message)
        getContext().scheduleOnce(Duration.ofNanos(serviceNanos), getContext().getSelf(), new ServiceDone(q.seq()));
    }

    private Behavior<Command> onServiceDone(ServiceDone done) {
        if (inService == null || done.seq() != inService.seq()) {
            return this;
        }
        Queued q = inService;
        FirmwareStatus status = Execution.run(firmware, q.command());
        long now = clock.now();
        metrics.completed(now, q.vmId(), q.kind(), status, serviceNanos);
        trace.record(config.name(), "cmd-done", "cmd", q.kind().name(), "vm", q.vmId(), "status", status,
                "wait", waitNanos, "service", serviceNanos);
        inService = null;
        Queued next = queue.poll();
        if (next != null) {
            metrics.queueDepth(now, queue.size());
            start(next, now);
        }
        return this;
    }

    private static String vmIdOf(Command c) {
        if (c instanceof GuestRequest x) {
            return x.vmId();
        } else if (c instanceof LaunchStart x) {
            return x.vmId();
        } else if (c instanceof LaunchUpdate x) {
            return x.vmId();
        } else if (c instanceof LaunchFinish x) {
            return x.vmId();
        } else if (c instanceof Decommission x) {
            return x.vmId();
        }
        return HOST;
    }
}
