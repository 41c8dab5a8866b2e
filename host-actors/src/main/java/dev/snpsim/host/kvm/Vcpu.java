package dev.snpsim.host.kvm;

import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.EnumCounters;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.trace.Trace;
import java.util.ArrayDeque;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One vCPU of an SNP VM: KVM's run loop. A guest's VMGEXIT arrives as {@link Vmgexit}; plain
 * requests go through the kernel path to the PSP; extended requests with certificate exits
 * enabled go to userspace (the VMM) first, as the VM's {@link HostAbiProfile} says. The guest
 * resumes with {@link VmgexitDone}.
 *
 * <p>A vCPU executes one VMGEXIT at a time; one arriving while another is in flight waits
 * (another guest thread on the same vCPU). Validation, in KVM's order: exit code known, VM is
 * SNP, request and response pages page aligned, distinct and inside guest memory (else the
 * profile's GENERIC), then the request page is read; for an extended MSG_REPORT_REQ the buffer
 * at RAX must be page aligned and inside guest memory (GENERIC; v15 checks alignment for
 * every extended request). The final kernel answers these malformed requests with
 * SW_EXITINFO1 = 2 and a GHCB error code instead, which this protocol cannot carry: the
 * guest sees a failure either way.
 *
 * <p>Host access to a private page (request page read, response page or empty table write):
 * the final kernel's {@code kvm_read_guest}/{@code kvm_write_guest} failure makes KVM_RUN fail
 * with EIO (userspace is told, the guest is not resumed and the vCPU is dead); the v15 series
 * answered the guest with firmware status INVALID_ADDRESS instead.
 *
 * <p>PROTOCOL FROZEN for guest-actors: add messages, do not change these records without
 * telling their owners.
 */
public final class Vcpu extends AbstractBehavior<Vcpu.Command> {
    /** Everything a vCPU accepts. */
    public interface Command {
    }

    /**
     * The guest's VMGEXIT, with the GHCB fields as the guest set them: SW_EXITCODE
     * (0x8000_0011 guest request, 0x8000_0012 extended), SW_EXITINFO1 = request page GPA,
     * SW_EXITINFO2 = response page GPA, and for an extended request RAX = certificate buffer GPA
     * and RBX = its number of pages. The request page must already hold the sealed message.
     */
    public record Vmgexit(long swExitCode, long swExitInfo1, long swExitInfo2, long rax, long rbx,
                          ActorRef<VmgexitDone> replyTo) implements Command {
    }

    /**
     * The guest resumes: SW_EXITINFO2 as KVM left it (VMM error in bits 63:32, firmware error in
     * 31:0) and RBX (pages needed after INVALID_LEN, else as it was). On success the sealed
     * response is in the response page and, for an extended request, the certificate table in
     * the buffer.
     */
    public record VmgexitDone(long swExitInfo2, long rbx) {
    }

    /**
     * Userspace re-enters KVM_RUN after a certificate exit: {@code exit} is the exit structure of
     * the profile (byte-exact, as in {@code kvm_run}) with the fields userspace set ({@code ret},
     * pages needed), and whether it set {@code kvm_run.immediate_exit}.
     */
    public record UserspaceReturn(byte[] exit, boolean immediateExit) implements Command {
    }

    /** The VM changed its certificate-exit capability (KVM_ENABLE_CAP after the vCPUs exist). */
    public record SetCertExits(boolean enabled) implements Command {
    }

    private record PspAnswered(Psp.GuestResponse response) implements Command {
    }

    /** Everything a vCPU is created with. */
    public record Setup(String vmId, int index, HostAbiProfile profile, boolean snp, boolean certExits,
                        GuestMemory memory, SevGate gate, ActorRef<Vmm.Command> vmm) {
    }

    /** At most this many VMGEXITs wait behind the one in flight; more are answered GENERIC. */
    static final int MAX_WAITING = 64;
    static final int PAGE = GuestMemory.PAGE_SIZE;
    /** MSG_TYPE byte of the (plaintext) guest message header, which KVM reads. */
    static final int MSG_TYPE_OFFSET = 0x34;
    static final int MSG_REPORT_REQ = 5;
    static final int EMPTY_TABLE_SIZE = 24;

    private enum Phase { IDLE, USERSPACE, FIRMWARE, DEAD }

    private final Setup setup;
    private final String entity;
    private final Trace trace;
    private final Metrics metrics;
    private final EnumCounters<VmmError> vmgexits;
    /** kvm.throttled, looked up on the first throttle (a flood hits it on every request) */
    private Counter throttled;
    private final SimClock clock;
    private final ActorRef<Psp.GuestResponse> pspAdapter;
    private final ArrayDeque<Vmgexit> waiting = new ArrayDeque<>();
    private boolean certExits;

    private Phase phase = Phase.IDLE;
    private Vmgexit current;
    private byte[] request;
    private boolean exited;
    private boolean immediateExit;
    private boolean notifyDone;
    private long rbxOut;
    private long lastRax;
    private String lastRaxHex;

    public static Behavior<Command> create(Setup setup) {
        return Behaviors.setup(ctx -> new Vcpu(ctx, setup));
    }

    private Vcpu(ActorContext<Command> ctx, Setup setup) {
        super(ctx);
        this.setup = setup;
        this.entity = setup.vmId() + "/vcpu-" + setup.index();
        this.trace = Trace.get(ctx.getSystem());
        this.metrics = Metrics.get(ctx.getSystem());
        this.vmgexits = new EnumCounters<>(metrics, VmmError.class,
                k -> "kvm.vmgexit." + k.name().toLowerCase(java.util.Locale.ROOT));
        this.clock = SimClock.get(ctx.getSystem());
        this.pspAdapter = ctx.messageAdapter(Psp.GuestResponse.class, PspAnswered::new);
        this.certExits = setup.certExits();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Vmgexit.class, this::onVmgexit)
                .onMessage(UserspaceReturn.class, this::onUserspaceReturn)
                .onMessage(PspAnswered.class, this::onPspAnswered)
                .onMessage(SetCertExits.class, this::onSetCertExits)
                .build();
    }

    private Behavior<Command> onSetCertExits(SetCertExits m) {
        certExits = m.enabled();
        trace.record(entity, "cert-exits", "enabled", m.enabled());
        return this;
    }

    private Behavior<Command> onVmgexit(Vmgexit m) {
        if (phase == Phase.DEAD) {
            trace.record(entity, "vmgexit-dropped", "why", "vcpu dead");
        } else if (phase != Phase.IDLE) {
            if (waiting.size() >= MAX_WAITING) {
                reply(m, CertExitAbi.generic(setup.profile()), m.rbx(), "too many waiting");
            } else {
                waiting.add(m);
            }
        } else {
            start(m);
        }
        return this;
    }

    private void start(Vmgexit m) {
        current = m;
        exited = false;
        immediateExit = false;
        notifyDone = false;
        rbxOut = m.rbx();
        boolean ext = m.swExitCode() == SvmExitCode.EXT_GUEST_REQUEST;
        String invalid = validate(m, ext);
        if (invalid != null) {
            resumeGuest(CertExitAbi.generic(setup.profile()), invalid);
            return;
        }
        try {
            request = setup.memory().hostRead(m.swExitInfo1(), PAGE);
        } catch (MemoryAccessException e) {
            privateAccess("request page", e);
            return;
        }
        if (!ext) {
            issue();
            return;
        }
        boolean reportReq = (request[MSG_TYPE_OFFSET] & 0xff) == MSG_REPORT_REQ;
        boolean v15 = setup.profile() == HostAbiProfile.V15_VMGEXIT;
        if (v15 || reportReq) {
            String bad = validateBuffer(m);
            if (bad != null) {
                resumeGuest(CertExitAbi.generic(setup.profile()), bad);
                return;
            }
        }
        if (v15 || (reportReq && certExits && setup.profile() != HostAbiProfile.EMPTY_TABLE)) {
            exited = true;
            phase = Phase.USERSPACE;
            byte[] exit = CertExitAbi.exitFor(setup.profile(), m.rax(), m.rbx());
            trace.record(entity, "cert-exit", "profile", setup.profile(), "gpa", raxHex(m.rax()), "npages", m.rbx());
            setup.vmm().tell(new Vmm.CertificateExit(setup.index(), setup.profile(), exit, getContext().getSelf()));
            return;
        }
        if (reportReq && m.rbx() != 0) {
            try {
                setup.memory().hostWrite(m.rax(), new byte[EMPTY_TABLE_SIZE]);
            } catch (MemoryAccessException e) {
                privateAccess("certificate buffer", e);
                return;
            }
        }
        issue();
    }

    private String validate(Vmgexit m, boolean ext) {
        if (m.swExitCode() != SvmExitCode.GUEST_REQUEST && !ext) {
            return "unknown exit code " + hex(m.swExitCode());
        }
        if (!setup.snp()) {
            return "not an snp vm";
        }
        long req = m.swExitInfo1();
        long resp = m.swExitInfo2();
        if ((req & (PAGE - 1)) != 0 || (resp & (PAGE - 1)) != 0 || req == resp) {
            return "request page " + hex(req) + " and response page " + hex(resp)
                    + " must be distinct and page aligned";
        }
        if (!setup.memory().inRange(req, PAGE) || !setup.memory().inRange(resp, PAGE)) {
            return "request page " + hex(req) + " or response page " + hex(resp) + " outside guest memory";
        }
        return null;
    }

    private String validateBuffer(Vmgexit m) {
        if ((m.rax() & (PAGE - 1)) != 0) {
            return "certificate buffer rax " + hex(m.rax()) + " is not page aligned";
        }
        if (m.rbx() < 0 || m.rbx() > setup.memory().size() / PAGE
                || !setup.memory().inRange(m.rax(), m.rbx() * PAGE)) {
            return "certificate buffer of " + m.rbx() + " pages at " + hex(m.rax()) + " is outside guest memory";
        }
        return null;
    }

    private void issue() {
        phase = Phase.FIRMWARE;
        SevGate.Admission a = setup.gate().submit(setup.vmId(), request, clock.now(), pspAdapter);
        if (a == SevGate.Admission.THROTTLED) {
            if (throttled == null) {
                throttled = metrics.counter("kvm.throttled");
            }
            throttled.increment();
            resumeGuest(ExitInfo2.of(VmmError.BUSY, 0), "throttled by " + setup.gate().limiterName());
        }
    }

    private Behavior<Command> onUserspaceReturn(UserspaceReturn m) {
        if (phase != Phase.USERSPACE) {
            trace.record(entity, "userspace-return-ignored", "phase", phase);
            return this;
        }
        immediateExit = m.immediateExit();
        CertExitAbi.Completion c = CertExitAbi.complete(setup.profile(), m.exit());
        trace.record(entity, "userspace-return", "completion", c.getClass().getSimpleName(),
                "immediate-exit", m.immediateExit());
        if (c instanceof CertExitAbi.IssueRequest i) {
            notifyDone = i.notifyDone();
            issue();
        } else if (c instanceof CertExitAbi.GuestError g) {
            if (g.rbx() >= 0) {
                rbxOut = g.rbx();
            }
            resumeGuest(g.exitInfo2(), "userspace answered");
        } else if (c instanceof CertExitAbi.RunFails f) {
            runFails(f.errno(), f.why());
        }
        return this;
    }

    private Behavior<Command> onPspAnswered(PspAnswered m) {
        if (phase != Phase.FIRMWARE) {
            trace.record(entity, "psp-answer-ignored", "phase", phase);
            return this;
        }
        Psp.GuestResponse r = m.response();
        ExitInfo2 ei = SevGate.exitInfo2(r);
        if (r.outcome() == Psp.Outcome.DONE && r.sealed() != null) {
            try {   // the bytes land in guest memory when first read: no wait for the signature here
                setup.memory().hostWrite(current.swExitInfo2(), r.sealed());
            } catch (MemoryAccessException e) {
                privateAccess("response page", e);
                return this;
            }
        } else if (r.outcome() == Psp.Outcome.DONE && r.response() != null) {
            try {
                setup.memory().hostWrite(current.swExitInfo2(), r.response());
            } catch (MemoryAccessException e) {
                privateAccess("response page", e);
                return this;
            }
        }
        resumeGuest(ei, r.outcome() == Psp.Outcome.QUEUE_FULL ? "psp queue full" : "firmware " + r.status());
        return this;
    }

    /** The host touched a private page; see the class doc for what each profile does. */
    private void privateAccess(String what, MemoryAccessException e) {
        if (setup.profile() == HostAbiProfile.V15_VMGEXIT) {
            resumeGuest(ExitInfo2.of(VmmError.NONE, FirmwareStatus.INVALID_ADDRESS), what + ": " + e.getMessage());
        } else {
            runFails(Errno.EIO, what + ": " + e.getMessage());
        }
    }

    private void resumeGuest(ExitInfo2 ei, String why) {
        Vmgexit m = current;
        reply(m, ei, rbxOut, why);
        if (exited) {
            if (notifyDone) {
                setup.vmm().tell(new Vmm.RunReturned(setup.index(), 0));
            } else if (immediateExit) {
                setup.vmm().tell(new Vmm.RunReturned(setup.index(), Errno.EINTR));
            }
        }
        phase = Phase.IDLE;
        current = null;
        request = null;
        Vmgexit next = waiting.poll();
        if (next != null) {
            start(next);
        }
    }

    private void reply(Vmgexit m, ExitInfo2 ei, long rbx, String why) {
        trace.record(entity, "vmgexit-done", "exit-info2", hex(ei.encode()), "rbx", rbx, "why", why);
        vmgexits.increment(ei.vmmErrorKind());
        m.replyTo().tell(new VmgexitDone(ei.encode(), rbx));
    }

    /** KVM_RUN fails: userspace gets the errno, the guest is never resumed (QEMU stops the VM). */
    private void runFails(int errno, String why) {
        trace.record(entity, "kvm-run-failed", "errno", Errno.name(errno), "why", why);
        setup.vmm().tell(new Vmm.RunReturned(setup.index(), errno));
        phase = Phase.DEAD;
        current = null;
        for (Vmgexit w : waiting) {
            trace.record(entity, "vmgexit-dropped", "why", "vcpu dead");
        }
        waiting.clear();
    }

    /** {@link #hex} of the certificate buffer's GPA, kept: a guest offers the same buffer every time. */
    private String raxHex(long rax) {
        if (lastRaxHex == null || rax != lastRax) {
            lastRax = rax;
            lastRaxHex = hex(rax);
        }
        return lastRaxHex;
    }

    private static String hex(long v) {
        if (v == 0) {
            return "0x0";   // SW_EXITINFO2 of every successful request
        }
        return "0x" + Long.toHexString(v);
    }
}
