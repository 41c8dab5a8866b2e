package dev.snpsim.guest.driver;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.msg.KeyResponse;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.psp.firmware.SealedResponse;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.trace.Trace;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One guest's {@code sev-guest} driver. Requests are served one at a time (Linux's mutex);
 * callers queue. A request is sealed once with the next sequence number, written to the shared
 * request page and sent as a {@link Vcpu.Vmgexit} to one of the guest's vCPUs. On the guest's
 * resumption ({@link Vcpu.VmgexitDone}):
 * <ul>
 *   <li>BUSY: the same sealed page is resent after {@link DriverConfig#retryDelay()}, unless
 *       {@link DriverConfig#maxRetryDuration()} has passed since the first send: then ETIMEDOUT
 *       and the VMPCK is wiped;</li>
 *   <li>INVALID_LEN on an extended request: the same page is resent at once as a plain request
 *       so the firmware consumes the sequence number; the caller gets {@link DriverError#NEED_PAGES}
 *       with the pages the host asked for;</li>
 *   <li>success: the counter advances by 2 and the response is opened (tag, sequence number,
 *       type, version); a bad response wipes the VMPCK (EBADMSG);</li>
 *   <li>anything else wipes the VMPCK (EIO). After a wipe every request fails with ENOTTY.</li>
 * </ul>
 * All waiting is on Pekko timers, so in virtual time the 2 s and 60 s are exact.
 */
public final class Driver extends AbstractBehavior<Driver.Command> {

    /** Everything the driver accepts. */
    public interface Command {
    }

    /**
     * SNP_GET_REPORT: a report with this REPORT_DATA (64 bytes) at {@code vmpl}, signed with the key {@code keySel}
     * asks for. The answer carries {@code tag} back, so a caller with several requests open tells the answers apart
     * without an ask per request (a refused request is answered at once, ahead of those queued before it).
     */
    public record GetReport(byte[] reportData, int vmpl, int keySel, ActorRef<ReportReply> replyTo, long tag)
            implements Command {
        /** An untagged request (tag 0). */
        public GetReport(byte[] reportData, int vmpl, int keySel, ActorRef<ReportReply> replyTo) {
            this(reportData, vmpl, keySel, replyTo, 0);
        }
    }

    /** SNP_GET_EXT_REPORT: as {@link GetReport}, plus a certificate buffer of {@code pages} 4 KiB pages. */
    public record GetExtendedReport(byte[] reportData, int vmpl, int keySel, int pages, ActorRef<ReportReply> replyTo,
                                    long tag) implements Command {
        /** An untagged request (tag 0). */
        public GetExtendedReport(byte[] reportData, int vmpl, int keySel, int pages, ActorRef<ReportReply> replyTo) {
            this(reportData, vmpl, keySel, pages, replyTo, 0);
        }
    }

    /** SNP_GET_DERIVED_KEY; {@code tag} as for {@link GetReport}. */
    public record GetDerivedKey(KeyRequest request, ActorRef<KeyReply> replyTo, long tag) implements Command {
        /** An untagged request (tag 0). */
        public GetDerivedKey(KeyRequest request, ActorRef<KeyReply> replyTo) {
            this(request, replyTo, 0);
        }
    }

    /** Every answer: it carries the tag of the request it answers. */
    public sealed interface Reply permits ReportReply, KeyReply {
        /** The tag of the request this answers. */
        long tag();
    }

    /** The answer to a report request. */
    public sealed interface ReportReply extends Reply permits Report, Failed {
    }

    /** The answer to a key request. */
    public sealed interface KeyReply extends Reply permits DerivedKey, Failed {
    }

    /**
     * A report: the raw 0x4a0 bytes, the certificate buffer as the host filled it (null for a
     * plain request), the request's sequence number, how many BUSY answers came before, and the request's tag.
     *
     * <p>The report's bytes may still be on their way: when the firmware's signature was still
     * being computed and the response page provably opens (see {@link
     * MessageChannel#openReportLater}), the driver answers at once and the page is opened when
     * {@link #report()} is first read. {@link #reportLater()} hands the bytes on without waiting.
     */
    public record Report(Supplier<byte[]> reportLater, byte[] certificates, long seqno, int busyRetries, long tag)
            implements ReportReply {
        /** A report whose bytes are at hand. */
        public Report(byte[] report, byte[] certificates, long seqno, int busyRetries, long tag) {
            this(ready(report), certificates, seqno, busyRetries, tag);
        }

        /** An answer to an untagged request (tag 0). */
        public Report(byte[] report, byte[] certificates, long seqno, int busyRetries) {
            this(report, certificates, seqno, busyRetries, 0);
        }

        /** The report's 0x4a0 bytes (waiting for them if they are still being computed). */
        public byte[] report() {
            return reportLater.get();
        }

        private static Supplier<byte[]> ready(byte[] report) {
            return () -> report;
        }
    }

    /** A derived key (32 bytes), and the request's tag. */
    public record DerivedKey(byte[] key, long seqno, int busyRetries, long tag) implements KeyReply {
        /** An answer to an untagged request (tag 0). */
        public DerivedKey(byte[] key, long seqno, int busyRetries) {
            this(key, seqno, busyRetries, 0);
        }
    }

    /**
     * A failure. {@code exitInfo2} is the raw SW_EXITINFO2 of the last resumption (0 if none);
     * {@code pagesNeeded} the host's page count for {@link DriverError#NEED_PAGES}, else 0;
     * {@code responseStatus} the payload STATUS for {@link DriverError#RESPONSE_STATUS}, else 0;
     * {@code tag} the request's.
     */
    public record Failed(DriverError error, String detail, long exitInfo2, long pagesNeeded, int responseStatus,
                         int busyRetries, long tag) implements ReportReply, KeyReply {
        /** A failure of an untagged request (tag 0). */
        public Failed(DriverError error, String detail, long exitInfo2, long pagesNeeded, int responseStatus,
                      int busyRetries) {
            this(error, detail, exitInfo2, pagesNeeded, responseStatus, busyRetries, 0);
        }

        /** The same failure, answering the request tagged {@code requestTag}. */
        public Failed withTag(long requestTag) {
            return requestTag == tag ? this
                    : new Failed(error, detail, exitInfo2, pagesNeeded, responseStatus, busyRetries, requestTag);
        }
    }

    private record Resumed(Vcpu.VmgexitDone done) implements Command {
    }

    private enum RetryTick implements Command { INSTANCE }

    /** A queued caller's request: the message type and payload, and how to answer. */
    private record Pending(MessageType type, byte[] payload, int certPages, boolean extended,
                           ActorRef<ReportReply> reportTo, ActorRef<KeyReply> keyTo, long tag) {
        void fail(Failed f) {
            if (reportTo != null) {
                reportTo.tell(f.withTag(tag));
            } else {
                keyTo.tell(f.withTag(tag));
            }
        }
    }

    /** The request on the vCPU now. */
    private static final class InFlight {
        final Pending req;
        final long seqno;
        final byte[] page;
        final long startNanos;
        final ActorRef<Vcpu.Command> vcpu;
        long exitCode;
        int busyRetries;
        long pagesNeeded = -1;

        InFlight(Pending req, long seqno, byte[] page, long startNanos, ActorRef<Vcpu.Command> vcpu) {
            this.req = req;
            this.seqno = seqno;
            this.page = page;
            this.startNanos = startNanos;
            this.vcpu = vcpu;
            this.exitCode = req.extended ? SvmExitCode.EXT_GUEST_REQUEST : SvmExitCode.GUEST_REQUEST;
        }
    }

    /**
     * Where a response page is read to be opened, one per thread rather than per guest (4 KiB a
     * guest would keep for a moment's use). Nothing holds it past {@link MessageChannel#open}.
     */
    private static final ThreadLocal<byte[]> RESPONSE_PAGE = ThreadLocal.withInitial(() -> new byte[GuestMemory.PAGE_SIZE]);

    private final String guestId;
    private final String entity; // guestId/driver: this driver's name in the trace
    private final GuestMemory memory;
    private final List<ActorRef<Vcpu.Command>> vcpus;
    private final DriverConfig config;
    private final MessageChannel channel;
    private final TimerScheduler<Command> timers;
    private final SimClock clock;
    private final Trace trace;
    private final ActorRef<Vcpu.VmgexitDone> resumeAdapter;
    private final long requestGpa;
    private final long responseGpa;
    private final long certGpa;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private InFlight inFlight;
    private int nextVcpu;

    /** A driver for a launched guest. */
    public static Behavior<Command> create(String guestId, Vm.Launched launched, DriverConfig config) {
        return create(guestId, launched.memory(), launched.secretsPageGpa(), launched.vcpus(), config, new SeqnoGuard());
    }

    /**
     * A driver over explicit parts (tests use probes as vCPUs).
     *
     * @param guard the guest's reuse check (one per launched guest)
     */
    public static Behavior<Command> create(String guestId, GuestMemory memory, long secretsPageGpa,
                                           List<ActorRef<Vcpu.Command>> vcpus, DriverConfig config, SeqnoGuard guard) {
        if (vcpus.isEmpty()) {
            throw new IllegalArgumentException("guest " + guestId + " has no vcpus");
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Driver(ctx, timers, guestId, memory, secretsPageGpa, List.copyOf(vcpus), config, guard)));
    }

    private Driver(ActorContext<Command> ctx, TimerScheduler<Command> timers, String guestId, GuestMemory memory,
                   long secretsPageGpa, List<ActorRef<Vcpu.Command>> vcpus, DriverConfig config, SeqnoGuard guard) {
        super(ctx);
        this.guestId = guestId;
        this.entity = guestId + "/driver";
        this.memory = memory;
        this.vcpus = vcpus;
        this.config = config;
        this.timers = timers;
        this.channel = new MessageChannel(memory, secretsPageGpa, config.vmpck(), guard);
        this.clock = SimClock.get(ctx.getSystem());
        this.trace = Trace.get(ctx.getSystem());
        this.resumeAdapter = ctx.messageAdapter(Vcpu.VmgexitDone.class, Resumed::new);
        long base = config.bufferGpa() >= 0 ? config.bufferGpa()
                : memory.size() - (long) config.sharedPages() * GuestMemory.PAGE_SIZE;
        this.requestGpa = base;
        this.responseGpa = base + GuestMemory.PAGE_SIZE;
        this.certGpa = base + 2L * GuestMemory.PAGE_SIZE;
        memory.setShared(base, config.sharedPages(), true);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(GetReport.class, this::onGetReport)
                .onMessage(GetExtendedReport.class, this::onGetExtendedReport)
                .onMessage(GetDerivedKey.class, this::onGetDerivedKey)
                .onMessage(Resumed.class, this::onResumed)
                .onMessage(RetryTick.class, this::onRetry)
                .build();
    }

    private Behavior<Command> onGetReport(GetReport m) {
        byte[] payload;
        try {
            payload = new ReportRequest(m.reportData(), m.vmpl(), m.keySel()).encode();
        } catch (AbiException e) {
            m.replyTo().tell(refused(e.getMessage()).withTag(m.tag()));
            return this;
        }
        return enqueue(new Pending(MessageType.REPORT_REQ, payload, 0, false, m.replyTo(), null, m.tag()));
    }

    private Behavior<Command> onGetExtendedReport(GetExtendedReport m) {
        byte[] payload;
        try {
            payload = new ReportRequest(m.reportData(), m.vmpl(), m.keySel()).encode();
        } catch (AbiException e) {
            m.replyTo().tell(refused(e.getMessage()).withTag(m.tag()));
            return this;
        }
        if (m.pages() < 0 || m.pages() > config.maxCertPages()) {
            m.replyTo().tell(refused(String.format(Locale.ROOT, "certificate buffer of %d pages (expected: 0..%d)",
                    m.pages(), config.maxCertPages())).withTag(m.tag()));
            return this;
        }
        return enqueue(new Pending(MessageType.REPORT_REQ, payload, m.pages(), true, m.replyTo(), null, m.tag()));
    }

    private Behavior<Command> onGetDerivedKey(GetDerivedKey m) {
        return enqueue(new Pending(MessageType.KEY_REQ, m.request().encode(), 0, false, null, m.replyTo(), m.tag()));
    }

    private static Failed refused(String why) {
        return new Failed(DriverError.EINVAL, why, 0, 0, 0, 0);
    }

    private Behavior<Command> enqueue(Pending p) {
        queue.addLast(p);
        if (inFlight == null) {
            startNext();
        }
        return this;
    }

    private void startNext() {
        while (inFlight == null && !queue.isEmpty()) {
            Pending p = queue.removeFirst();
            if (channel.wiped()) {
                p.fail(new Failed(DriverError.ENOTTY, "vmpck" + channel.vmpck() + " was wiped; relaunch the guest",
                        0, 0, 0, 0));
                continue;
            }
            if (channel.nextSeqno() == 0) {
                p.fail(new Failed(DriverError.EIO, "sequence counter exhausted", 0, 0, 0, 0));
                continue;
            }
            long seqno = channel.nextSeqno();
            byte[] page = channel.seal(p.type(), p.payload());
            ActorRef<Vcpu.Command> vcpu = vcpus.get(nextVcpu);
            nextVcpu = (nextVcpu + 1) % vcpus.size();
            inFlight = new InFlight(p, seqno, page, clock.now(), vcpu);
            if (p.extended()) {
                memory.guestZero(certGpa, p.certPages() * GuestMemory.PAGE_SIZE);
            }
            send();
        }
    }

    private void send() {
        InFlight f = inFlight;
        memory.guestWrite(requestGpa, f.page);
        memory.guestZero(responseGpa, GuestMemory.PAGE_SIZE);
        trace.record(entity, "vmgexit", "seqno", f.seqno, "exit", f.exitCode, "busy", f.busyRetries);
        f.vcpu.tell(new Vcpu.Vmgexit(f.exitCode, requestGpa, responseGpa,
                f.exitCode == SvmExitCode.EXT_GUEST_REQUEST ? certGpa : 0,
                f.exitCode == SvmExitCode.EXT_GUEST_REQUEST ? f.req.certPages() : 0, resumeAdapter));
    }

    private Behavior<Command> onRetry(RetryTick t) {
        if (inFlight != null) {
            send();
        }
        return this;
    }

    private Behavior<Command> onResumed(Resumed r) {
        InFlight f = inFlight;
        if (f == null) {
            trace.record(entity, "stray-resume", "exitinfo2", r.done().swExitInfo2());
            return this;
        }
        ExitInfo2 e = ExitInfo2.decode(r.done().swExitInfo2());
        VmmError vmm = e.vmmErrorKind();
        if (vmm == VmmError.BUSY && e.fwError() == 0) {
            long waited = clock.now() - f.startNanos;
            if (waited >= config.maxRetryDuration().toNanos()) {
                finish(wipe(DriverError.ETIMEDOUT, String.format(Locale.ROOT,
                        "host answered busy for %d ns (limit %d ns) after %d retries", waited,
                        config.maxRetryDuration().toNanos(), f.busyRetries), e));
            } else {
                f.busyRetries++;
                timers.startSingleTimer(RetryTick.INSTANCE, config.retryDelay());
            }
            return this;
        }
        if (vmm == VmmError.INVALID_LEN && e.fwError() == 0 && f.exitCode == SvmExitCode.EXT_GUEST_REQUEST) {
            f.pagesNeeded = r.done().rbx();
            f.exitCode = SvmExitCode.GUEST_REQUEST;
            send();
            return this;
        }
        if (!e.isSuccess()) {
            finish(wipe(DriverError.EIO, "host or firmware failed the request: " + e, e));
            return this;
        }
        channel.consume();
        if (f.pagesNeeded >= 0) {
            finish(new Failed(DriverError.NEED_PAGES, String.format(Locale.ROOT,
                    "certificate buffer of %d pages is too small: the host needs %d", f.req.certPages(), f.pagesNeeded),
                    ExitInfo2.of(VmmError.INVALID_LEN, 0).encode(), f.pagesNeeded, 0, f.busyRetries));
            return this;
        }
        complete(f, e);
        return this;
    }

    private void complete(InFlight f, ExitInfo2 e) {
        if (f.req.type() == MessageType.REPORT_REQ && completeLater(f)) {
            return;
        }
        GuestMessages.Opened opened;
        try {
            byte[] page = RESPONSE_PAGE.get();   // opening copies out what it keeps: the page can be reused
            memory.guestRead(responseGpa, page, 0, GuestMemory.PAGE_SIZE);
            opened = channel.open(page, f.req.type(), f.seqno);
        } catch (AbiException ex) {
            finish(wipe(DriverError.EBADMSG, "bad response: " + ex.getMessage(), e));
            return;
        }
        try {
            if (f.req.type() == MessageType.REPORT_REQ) {
                ReportResponse rsp = ReportResponse.decode(opened.payload());
                if (rsp.responseStatus() != ResponseStatus.SUCCESS) {
                    finish(statusFailure(rsp.status(), f));
                    return;
                }
                answerReport(f, Report.ready(rsp.report()));
            } else {
                KeyResponse rsp = KeyResponse.decode(opened.payload());
                if (rsp.responseStatus() != ResponseStatus.SUCCESS) {
                    finish(statusFailure(rsp.status(), f));
                    return;
                }
                f.req.keyTo().tell(new DerivedKey(rsp.key(), f.seqno, f.busyRetries, f.req.tag()));
                done(f);
            }
        } catch (AbiException ex) {
            finish(wipe(DriverError.EBADMSG, "bad response payload: " + ex.getMessage(), e));
        }
    }

    /**
     * Answers a report whose response page the host wrote as a {@link SealedResponse} nobody has
     * read since, without waiting for its bytes (the firmware's signature may still be being
     * computed on a worker): the caller gets the report as the page will open. False when that
     * cannot be decided without the bytes; {@link #complete} then opens them.
     */
    private boolean completeLater(InFlight f) {
        SealedResponse sealed = memory.untouched(responseGpa);
        if (sealed == null) {
            return false;
        }
        Supplier<byte[]> report = channel.openReportLater(sealed, f.seqno);
        if (report == null) {
            return false;
        }
        answerReport(f, report);
        return true;
    }

    /** Answers the caller its report and the certificate buffer as the host filled it, then takes the next request. */
    private void answerReport(InFlight f, Supplier<byte[]> report) {
        byte[] certs = f.req.extended() ? memory.guestRead(certGpa, f.req.certPages() * GuestMemory.PAGE_SIZE) : null;
        f.req.reportTo().tell(new Report(report, certs, f.seqno, f.busyRetries, f.req.tag()));
        done(f);
    }

    /** The request in flight is answered: the next queued one starts. */
    private void done(InFlight f) {
        trace.record(entity, "done", "seqno", f.seqno);
        inFlight = null;
        startNext();
    }

    private static Failed statusFailure(int status, InFlight f) {
        return new Failed(DriverError.RESPONSE_STATUS, String.format(Locale.ROOT,
                "firmware answered status 0x%x (%s)", status, ResponseStatus.of(status).name().toLowerCase(Locale.ROOT)),
                0, 0, status, f.busyRetries);
    }

    private Failed wipe(DriverError error, String detail, ExitInfo2 e) {
        channel.wipe();
        trace.record(entity, "vmpck-wiped", "vmpck", channel.vmpck(), "error", error, "seqno",
                inFlight.seqno);
        return new Failed(error, detail + "; vmpck" + channel.vmpck() + " wiped", e.encode(), 0, 0,
                inFlight.busyRetries);
    }

    private void finish(Failed failed) {
        InFlight f = inFlight;
        trace.record(entity, "failed", "seqno", f.seqno, "error", failed.error());
        f.req.fail(failed);
        inFlight = null;
        startNext();
    }
}
