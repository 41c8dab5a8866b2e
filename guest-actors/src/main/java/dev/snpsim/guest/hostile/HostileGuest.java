package dev.snpsim.guest.hostile;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A guest that bypasses the {@code sev-guest} driver and commits one {@link Abuse} at a time on
 * its vCPU 0, reporting what the host answered. Abuses that need a consumed message first (a
 * replay, a stale sequence number) send a valid request before the abusive one. Its own pages:
 * request {@link #REQUEST_GPA}, response, four shared certificate pages, and a private page at
 * {@link #PRIVATE_GPA}. If the vCPU never resumes the guest (KVM_RUN failed), the result says so
 * after {@link #RESUME_LIMIT}.
 */
public final class HostileGuest extends AbstractBehavior<HostileGuest.Command> {

    /** Everything a hostile guest accepts. */
    public interface Command {
    }

    /** Commits {@code abuse} and answers with a {@link Result}. */
    public record Commit(Abuse abuse, ActorRef<Result> replyTo) implements Command {
    }

    /**
     * What happened: whether the guest was resumed at all, SW_EXITINFO2 and RBX of the abusive
     * exit, and for {@link Abuse#PRIVILEGED_VMPL} the report response's STATUS (else -1).
     */
    public record Result(Abuse abuse, boolean resumed, long exitInfo2, long rbx, int responseStatus, String detail) {
        public ExitInfo2 exitInfo() {
            return ExitInfo2.decode(exitInfo2);
        }
    }

    private record Resumed(Vcpu.VmgexitDone done) implements Command {
    }

    private enum Timeout implements Command { INSTANCE }

    private record Shot(long exitCode, byte[] page, long rax, long rbx, boolean setup) {
    }

    public static final long REQUEST_GPA = 0x20_0000L;
    public static final long RESPONSE_GPA = REQUEST_GPA + GuestMemory.PAGE_SIZE;
    public static final long CERT_GPA = REQUEST_GPA + 2L * GuestMemory.PAGE_SIZE;
    public static final int CERT_PAGES = 4;
    public static final long PRIVATE_GPA = 0x21_0000L;
    public static final Duration RESUME_LIMIT = Duration.ofSeconds(30);

    private final String entity;
    private final GuestMemory memory;
    private final long secretsGpa;
    private final ActorRef<Vcpu.Command> vcpu;
    private final byte[] foreignVmpck;
    private final TimerScheduler<Command> timers;
    private final Trace trace;
    private final ActorRef<Vcpu.VmgexitDone> resume;
    private final Deque<Commit> queue = new ArrayDeque<>();
    private final Deque<Shot> shots = new ArrayDeque<>();
    private Commit current;
    private final long[] counters = new long[4];
    private long lastSeqno;
    private int lastVmpck;

    /**
     * @param foreignVmpck another guest's VMPCK0 (as if it had leaked), used by {@link Abuse#FOREIGN_VMPCK}
     */
    public static Behavior<Command> create(String guestId, Vm.Launched launched, byte[] foreignVmpck) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new HostileGuest(ctx, t, guestId, launched,
                foreignVmpck.clone())));
    }

    private HostileGuest(ActorContext<Command> ctx, TimerScheduler<Command> timers, String guestId,
                         Vm.Launched launched, byte[] foreignVmpck) {
        super(ctx);
        this.entity = guestId + "/hostile";
        this.memory = launched.memory();
        this.secretsGpa = launched.secretsPageGpa();
        this.vcpu = launched.vcpus().get(0);
        this.foreignVmpck = foreignVmpck;
        this.timers = timers;
        this.trace = Trace.get(ctx.getSystem());
        this.resume = ctx.messageAdapter(Vcpu.VmgexitDone.class, Resumed::new);
        memory.setShared(REQUEST_GPA, 2 + CERT_PAGES, true);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Commit.class, this::onCommit)
                .onMessage(Resumed.class, this::onResumed)
                .onMessage(Timeout.class, t -> {
                    finish(new Result(current.abuse(), false, 0, 0, -1, "the vcpu never resumed the guest within "
                            + RESUME_LIMIT));
                    return this;
                })
                .build();
    }

    private Behavior<Command> onCommit(Commit c) {
        queue.addLast(c);
        if (current == null) {
            startNext();
        }
        return this;
    }

    private void startNext() {
        if (current != null || queue.isEmpty()) {
            return;
        }
        current = queue.removeFirst();
        plan(current.abuse());
        trace.record(entity, "abuse", "kind", current.abuse());
        fire();
    }

    private byte[] key(int n) {
        return secretsGpa < 0 ? new byte[32] : memory.guestRead(secretsGpa + 0x20 + 0x20L * n, 32);
    }

    private byte[] seal(byte[] key, long seqno, int vmpck, int vmpl) {
        lastSeqno = seqno;
        lastVmpck = vmpck;
        byte[] payload = new ReportRequest(new byte[64], vmpl, ReportRequest.KEY_SEL_DEFAULT).encode();
        return GuestMessages.seal(key, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seqno, vmpck), payload);
    }

    private static Shot plain(byte[] page, boolean setup) {
        return new Shot(SvmExitCode.GUEST_REQUEST, page, 0, 0, setup);
    }

    private void plan(Abuse a) {
        long next = counters[0] + 1;
        switch (a) {
            case REPLAYED_SEQNO -> {
                byte[] page = seal(key(0), next, 0, 0);
                shots.add(plain(page, true));
                shots.add(plain(page, false));
            }
            case STALE_SEQNO -> {
                shots.add(plain(seal(key(0), next, 0, 0), true));
                byte[] stale = seal(key(0), next, 0, 1); // a different message under a used seqno
                shots.add(plain(stale, false));
            }
            case TAMPERED_CIPHERTEXT -> {
                byte[] page = seal(key(0), next, 0, 0);
                page[0x60] ^= 1;
                shots.add(plain(page, false));
            }
            case FOREIGN_VMPCK -> shots.add(plain(seal(foreignVmpck, next, 0, 0), false));
            case WIPED_VMPCK -> shots.add(plain(seal(new byte[32], next, 0, 0), false));
            case UNALIGNED_CERT_BUFFER -> shots.add(new Shot(SvmExitCode.EXT_GUEST_REQUEST, seal(key(0), next, 0, 0),
                    CERT_GPA + 0x800, 1, false));
            case OUT_OF_RANGE_CERT_BUFFER -> shots.add(new Shot(SvmExitCode.EXT_GUEST_REQUEST,
                    seal(key(0), next, 0, 0), memory.size(), 1, false));
            case PRIVATE_CERT_BUFFER -> shots.add(new Shot(SvmExitCode.EXT_GUEST_REQUEST, seal(key(0), next, 0, 0),
                    PRIVATE_GPA, CERT_PAGES, false)); // big enough, so the VMM gets as far as writing
            case ABSURD_PAGE_COUNT -> shots.add(new Shot(SvmExitCode.EXT_GUEST_REQUEST, seal(key(0), next, 0, 0),
                    CERT_GPA, 1L << 40, false));
            case PRIVILEGED_VMPL -> shots.add(plain(seal(key(1), counters[1] + 1, 1, 0), false));
            case NON_SNP_VM -> shots.add(plain(seal(new byte[32], 1, 0, 0), false));
            default -> throw new IllegalStateException("unknown abuse " + a);
        }
    }

    private void fire() {
        Shot s = shots.peekFirst();
        memory.guestWrite(REQUEST_GPA, s.page());
        memory.guestWrite(RESPONSE_GPA, new byte[GuestMemory.PAGE_SIZE]);
        timers.startSingleTimer(Timeout.INSTANCE, RESUME_LIMIT);
        vcpu.tell(new Vcpu.Vmgexit(s.exitCode(), REQUEST_GPA, RESPONSE_GPA, s.rax(), s.rbx(), resume));
    }

    private Behavior<Command> onResumed(Resumed r) {
        if (current == null) {
            return this;
        }
        timers.cancel(Timeout.INSTANCE);
        Shot s = shots.removeFirst();
        ExitInfo2 e = ExitInfo2.decode(r.done().swExitInfo2());
        if (e.isSuccess()) {
            int n = s.page()[0x3c];
            counters[n] = Math.max(counters[n], seqnoOf(s.page()) + 1);
        }
        if (s.setup()) {
            if (!e.isSuccess()) {
                finish(new Result(current.abuse(), true, e.encode(), r.done().rbx(), -1,
                        "the valid request before the abuse failed: " + e));
                return this;
            }
            fire();
            return this;
        }
        int status = -1;
        String detail = e.toString();
        if (current.abuse() == Abuse.PRIVILEGED_VMPL && e.isSuccess()) {
            try {
                GuestMessages.Opened o = GuestMessages.open(key(lastVmpck),
                        memory.guestRead(RESPONSE_GPA, GuestMemory.PAGE_SIZE), lastSeqno + 1);
                status = ReportResponse.decode(o.payload()).status();
            } catch (AbiException ex) {
                detail = "response does not open: " + ex.getMessage();
            }
        }
        finish(new Result(current.abuse(), true, e.encode(), r.done().rbx(), status, detail));
        return this;
    }

    private static long seqnoOf(byte[] page) {
        return java.nio.ByteBuffer.wrap(page, 0x20, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private void finish(Result r) {
        trace.record(entity, "abuse-result", "kind", r.abuse(), "resumed", r.resumed(), "exitinfo2", r.exitInfo2());
        current.replyTo().tell(r);
        current = null;
        shots.clear();
        startNext();
    }
}
