package dev.snpsim.host.kvm;

import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.certstore.LockMode;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.metrics.EnumCounters;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.trace.Trace;
import java.util.ArrayDeque;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Host userspace for one VM (QEMU's role): answers certificate exits from the VM's vCPUs
 * with the certificate store's blob under a shared lock, and drops the lock when KVM_RUN
 * returns EINTR after the firmware request (or on the v15 DONE exit).
 *
 * <p>Each exit opens its own description of the blob (an OFD lock belongs to the description,
 * so two vCPUs sharing one would drop each other's lock), locks it shared as {@link VmmConfig}
 * says, reads the blob and answers: EAGAIN when the lock is not granted in time, EIO when the
 * blob is unreadable or corrupt or the guest buffer is not shared memory (QEMU's write into
 * the guest would fail), ENOSPC with the pages needed (the description is closed at once), or
 * the table written into the guest's buffer with ret 0 and {@code immediate_exit} (v15:
 * NOTIFY_DONE). The description, and so the lock, is closed when KVM_RUN returns.
 *
 * <p>PROTOCOL FROZEN between vCPU and VMM: add messages, do not change these records without
 * telling their owners.
 */
public final class Vmm extends AbstractBehavior<Vmm.Command> {
    /** Everything a VMM accepts. */
    public interface Command {
    }

    /**
     * KVM_RUN returned to userspace with a certificate exit: {@code exit} holds the exit
     * structure of {@code profile} byte-exact (the v15 {@code kvm_user_vmgexit}, the seed's
     * {@code kvm_exit_coco}, or upstream's {@code kvm_exit_snp_req_certs}); the VMM answers with
     * {@link Vcpu.UserspaceReturn} to {@code vcpu}.
     */
    public record CertificateExit(int vcpuIndex, HostAbiProfile profile, byte[] exit, ActorRef<Vcpu.Command> vcpu)
            implements Command {
    }

    /**
     * KVM_RUN returned to userspace with {@code errno} (EINTR after {@code immediate_exit}) or, for
     * V15, a second exit with status DONE ({@code errno == 0}): the firmware request of this vCPU's
     * last certificate exit has completed.
     */
    public record RunReturned(int vcpuIndex, int errno) implements Command {
    }

    private record StoreOpened(CertStore.Opened opened) implements Command {
    }

    private record StoreLocked(CertStore.LockReply reply) implements Command {
    }

    private record StoreRead(CertStore.ReadReply reply) implements Command {
    }

    /** One certificate exit being answered; {@code desc} is -1 until the store opened it. */
    private static final class Session {
        final CertificateExit exit;
        long desc = -1;
        long lockAskedAt = -1;

        Session(CertificateExit exit) {
            this.exit = exit;
        }
    }

    private final String entity;
    private final GuestMemory memory;
    private final ActorRef<CertStore.Command> store;
    private final VmmConfig config;
    private final Trace trace;
    private final Metrics metrics;
    private final EnumCounters<CertExitAbi.Answer> answers;
    private final SimClock clock;
    private final ActorRef<CertStore.Opened> openedAdapter;
    private final ActorRef<CertStore.LockReply> lockAdapter;
    private final ActorRef<CertStore.ReadReply> readAdapter;
    /**
     * The sessions, one per vCPU at most, in no particular order (looked up by vCPU or by
     * description, never iterated for output): a VM has a handful of vCPUs, and a linear scan of
     * a small array beats boxed keys in a tree.
     */
    private Session[] sessions = new Session[4];
    private int sessionCount;
    private int wroteLength;
    private String wroteWhy;
    /** The store answers Open in order, so the n-th Opened is for the n-th vCPU here. */
    private final ArrayDeque<Integer> opening = new ArrayDeque<>();

    public static Behavior<Command> create(String vmId, GuestMemory memory, ActorRef<CertStore.Command> store,
                                           VmmConfig config) {
        return Behaviors.setup(ctx -> new Vmm(ctx, vmId, memory, store, config));
    }

    private Vmm(ActorContext<Command> ctx, String vmId, GuestMemory memory, ActorRef<CertStore.Command> store,
                VmmConfig config) {
        super(ctx);
        this.entity = vmId + "/vmm";
        this.memory = memory;
        this.store = store;
        this.config = config;
        this.trace = Trace.get(ctx.getSystem());
        this.metrics = Metrics.get(ctx.getSystem());
        this.answers = new EnumCounters<>(metrics, CertExitAbi.Answer.class,
                a -> "vmm.answer." + a.name().toLowerCase(Locale.ROOT));
        this.clock = SimClock.get(ctx.getSystem());
        this.openedAdapter = ctx.messageAdapter(CertStore.Opened.class, StoreOpened::new);
        this.lockAdapter = ctx.messageAdapter(CertStore.LockReply.class, StoreLocked::new);
        this.readAdapter = ctx.messageAdapter(CertStore.ReadReply.class, StoreRead::new);
    }

    /** Adds to a per-window series when a scenario runner registered it (it chooses the window). */
    private void record(String key, long value) {
        var ts = metrics.timeSeries().get(key);
        if (ts != null) {
            ts.record(clock.now(), value);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(CertificateExit.class, this::onCertificateExit)
                .onMessage(RunReturned.class, this::onRunReturned)
                .onMessage(StoreOpened.class, this::onOpened)
                .onMessage(StoreLocked.class, this::onLocked)
                .onMessage(StoreRead.class, this::onRead)
                .build();
    }

    private Behavior<Command> onCertificateExit(CertificateExit m) {
        Session old = putSession(new Session(m));
        if (old != null) {
            trace.record(entity, "stale-session", "vcpu", m.vcpuIndex());
            closeDesc(old);
        }
        opening.add(m.vcpuIndex());
        store.tell(new CertStore.Open(getContext().getSelf(), openedAdapter));
        return this;
    }

    private Behavior<Command> onOpened(StoreOpened m) {
        Integer vcpu = opening.poll();
        Session s = vcpu == null ? null : sessionOfVcpu(vcpu);
        long desc = m.opened().desc();
        if (s == null || s.desc >= 0) {
            store.tell(new CertStore.Close(desc));
            return this;
        }
        s.desc = desc;
        if (!config.locking()) {
            store.tell(new CertStore.Read(desc, readAdapter));
        } else if (config.lockWait().isZero()) {
            s.lockAskedAt = clock.now();
            store.tell(CertStore.Lock.nonBlocking(desc, LockMode.SHARED, lockAdapter));
        } else {
            s.lockAskedAt = clock.now();
            store.tell(CertStore.Lock.timed(desc, LockMode.SHARED, config.lockWait(), lockAdapter));
        }
        return this;
    }

    private Behavior<Command> onLocked(StoreLocked m) {
        Session s = sessionOf(m.reply().desc());
        if (s == null) {
            return this;
        }
        long waited = clock.now() - s.lockAskedAt;
        if (waited > 0) {
            // a lock the VMM had to wait for (granted late or timed out): the cost of rotations under load
            metrics.histogram("vmm/lock-wait").recordValue(waited);
            record("vmm/lock-wait-ts", 1);
        }
        if (m.reply().status() == CertStore.LockStatus.GRANTED) {
            store.tell(new CertStore.Read(s.desc, readAdapter));
        } else {
            finish(s, CertExitAbi.Answer.AGAIN, 0, "lock " + m.reply().status());
        }
        return this;
    }

    private Behavior<Command> onRead(StoreRead m) {
        CertStore.ReadReply r = m.reply();
        Session s = sessionOf(r.desc());
        if (s == null) {
            return this;
        }
        if (r.status() != CertStore.ReadStatus.OK) {
            // the detail names the blob's path: kept out of the trace so digests do not depend on it
            finish(s, CertExitAbi.Answer.IO_ERROR, 0, "blob " + r.status());
            return this;
        }
        CertificateExit e = s.exit;
        CertExitAbi.Request req = CertExitAbi.request(e.profile(), e.exit());
        int length = r.length();
        long needed = r.pagesNeeded();
        if (needed > req.npages()) {
            finish(s, CertExitAbi.Answer.NO_SPACE, needed, "blob needs " + needed + " pages");
            return this;
        }
        try {
            memory.hostWrite(req.gpa(), r.view()); // the store's array, read-only and not copied
        } catch (MemoryAccessException ex) {
            finish(s, CertExitAbi.Answer.IO_ERROR, 0, ex.getMessage());
            return this;
        }
        finish(s, CertExitAbi.Answer.OK, 0, wrote(length));
        return this;
    }

    /** "wrote N bytes", kept for the last N: the blob is the same for thousands of requests. */
    private String wrote(int length) {
        if (wroteWhy == null || length != wroteLength) {
            wroteLength = length;
            wroteWhy = "wrote " + length + " bytes";
        }
        return wroteWhy;
    }

    /** Answers the vCPU; keeps the description (and lock) only after a successful write. */
    private void finish(Session s, CertExitAbi.Answer answer, long pagesNeeded, String why) {
        CertificateExit e = s.exit;
        boolean v15 = e.profile() == HostAbiProfile.V15_VMGEXIT;
        boolean ok = answer == CertExitAbi.Answer.OK;
        byte[] returned = CertExitAbi.answer(e.profile(), e.exit(), answer, pagesNeeded, ok && v15);
        trace.record(entity, "answer", "vcpu", e.vcpuIndex(), "answer", answer, "why", why);
        answers.increment(answer);
        if (answer == CertExitAbi.Answer.AGAIN) {
            record("vmm/eagain-ts", 1);
        }
        if (!ok) {
            closeDesc(s);
            removeSession(e.vcpuIndex());
        }
        e.vcpu().tell(new Vcpu.UserspaceReturn(returned, ok && !v15));
    }

    private Behavior<Command> onRunReturned(RunReturned m) {
        trace.record(entity, "run-returned", "vcpu", m.vcpuIndex(), "errno", Errno.name(m.errno()));
        if (m.errno() != Errno.EINTR && m.errno() != 0) {
            metrics.counter("vmm.run-failed").increment();
        }
        Session s = removeSession(m.vcpuIndex());
        if (s != null) {
            closeDesc(s);
        }
        return this;
    }

    /** The session holding description {@code desc} (descriptions are never reused), or null. */
    private Session sessionOf(long desc) {
        if (desc < 0) {
            return null;
        }
        for (int i = 0; i < sessionCount; i++) {
            if (sessions[i].desc == desc) {
                return sessions[i];
            }
        }
        return null;
    }

    private Session sessionOfVcpu(int vcpu) {
        int i = indexOfVcpu(vcpu);
        return i < 0 ? null : sessions[i];
    }

    private int indexOfVcpu(int vcpu) {
        for (int i = 0; i < sessionCount; i++) {
            if (sessions[i].exit.vcpuIndex() == vcpu) {
                return i;
            }
        }
        return -1;
    }

    /** Makes {@code s} its vCPU's session; returns the one it replaces, or null. */
    private Session putSession(Session s) {
        int i = indexOfVcpu(s.exit.vcpuIndex());
        if (i >= 0) {
            Session old = sessions[i];
            sessions[i] = s;
            return old;
        }
        if (sessionCount == sessions.length) {
            sessions = java.util.Arrays.copyOf(sessions, sessionCount * 2);
        }
        sessions[sessionCount++] = s;
        return null;
    }

    /** Removes the session of {@code vcpu}; returns it, or null. */
    private Session removeSession(int vcpu) {
        int i = indexOfVcpu(vcpu);
        if (i < 0) {
            return null;
        }
        Session s = sessions[i];
        sessions[i] = sessions[--sessionCount];
        sessions[sessionCount] = null;
        return s;
    }

    private void closeDesc(Session s) {
        if (s.desc >= 0) {
            store.tell(new CertStore.Close(s.desc));
            s.desc = -1;
        }
    }
}
