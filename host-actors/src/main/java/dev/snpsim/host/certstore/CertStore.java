package dev.snpsim.host.certstore;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.sim.trace.Trace;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The certificate store of one host: the blob file and its OFD lock table. VMMs and the
 * management tool {@link Open} a description, lock it shared or exclusive, {@link Read}
 * or {@link Write} the blob, and {@link Unlock} / {@link Close}. Locks are advisory, as
 * on Linux: reading never needs a lock; writing needs the exclusive lock unless the store
 * was created with {@code requireLockToWrite = false} (a scenario with locking off).
 *
 * <p>A timed lock request times out on the simulation clock (Pekko timers). When the
 * actor that opened a description stops, every description it opened is closed, which
 * releases its locks and drops its waits. Blob I/O is a few KiB and done in place.
 */
public final class CertStore extends AbstractBehavior<CertStore.Command> {

    /** Protocol of the certificate store. */
    public interface Command {
    }

    /**
     * Opens a description of the blob; {@code owner} is watched (from its first Open until it
     * stops, even while it has nothing open) and its descriptions are closed when it stops.
     */
    public record Open(ActorRef<?> owner, ActorRef<Opened> replyTo) implements Command {
        /** Opens on behalf of the actor the reply goes to. */
        public Open(ActorRef<Opened> replyTo) {
            this(replyTo, replyTo);
        }
    }

    /** A description id for the other commands. */
    public record Opened(long desc) {
    }

    /**
     * Lock request: {@code waitNanos} 0 is {@code F_OFD_SETLK} (never waits),
     * {@link #WAIT_FOREVER} is {@code F_OFD_SETLKW}, a positive value waits at most that long.
     */
    public record Lock(long desc, LockMode mode, long waitNanos, ActorRef<LockReply> replyTo) implements Command {
        public static final long WAIT_FOREVER = -1;

        public static Lock nonBlocking(long desc, LockMode mode, ActorRef<LockReply> replyTo) {
            return new Lock(desc, mode, 0, replyTo);
        }

        public static Lock timed(long desc, LockMode mode, Duration wait, ActorRef<LockReply> replyTo) {
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("lock wait is " + wait + " (expected: > 0)");
            }
            return new Lock(desc, mode, wait.toNanos(), replyTo);
        }

        public static Lock untimed(long desc, LockMode mode, ActorRef<LockReply> replyTo) {
            return new Lock(desc, mode, WAIT_FOREVER, replyTo);
        }
    }

    /** Outcome of a {@link Lock}. */
    public enum LockStatus {
        GRANTED,
        /** Non-blocking request in conflict ({@code EAGAIN}). */
        DENIED,
        /** Timed request not granted in time ({@code EAGAIN} for the VMM). */
        TIMED_OUT,
        /** The description was closed (or its owner stopped) while the request waited. */
        CLOSED,
        /** No such open description, or a bad request. */
        BAD_DESCRIPTOR
    }

    public record LockReply(long desc, LockMode mode, LockStatus status) {
    }

    /** Releases the description's lock; its own waiting requests stay. */
    public record Unlock(long desc) implements Command {
    }

    /** Closes the description: releases its lock, answers its waits {@link LockStatus#CLOSED}. */
    public record Close(long desc) implements Command {
    }

    /** Reads the blob (no lock needed: OFD locks are advisory). */
    public record Read(long desc, ActorRef<ReadReply> replyTo) implements Command {
    }

    /** Outcome of a {@link Read}. */
    public enum ReadStatus { OK, UNREADABLE, CORRUPT, BAD_DESCRIPTOR }

    /**
     * The blob's exact bytes when {@link ReadStatus#OK} (empty otherwise) and, on failure, why.
     *
     * <p>A value class rather than a record so that the store can hand the VMM the blob file's
     * one immutable array without a copy (a record's public canonical constructor would have to
     * copy it): the public constructor and {@link #bytes()} copy, as the record did, and
     * {@link #view()} is a read-only view of the bytes without a copy.
     */
    public static final class ReadReply {
        private static final byte[] NONE = new byte[0];

        private final long desc;
        private final ReadStatus status;
        private final byte[] bytes;   // never modified, never handed out
        private final String detail;

        public ReadReply(long desc, ReadStatus status, byte[] bytes, String detail) {
            this(desc, status, detail, bytes.clone());
        }

        /** Takes {@code owned} as it is: the caller never modifies it afterwards. */
        private ReadReply(long desc, ReadStatus status, String detail, byte[] owned) {
            this.desc = desc;
            this.status = status;
            this.bytes = owned;
            this.detail = detail;
        }

        /** A successful read of {@code blob}, an array nobody modifies (the blob file's last good read). */
        static ReadReply ok(long desc, byte[] blob) {
            return new ReadReply(desc, ReadStatus.OK, "", blob);
        }

        /** A failed read. */
        static ReadReply failed(long desc, ReadStatus status, String detail) {
            return new ReadReply(desc, status, detail, NONE);
        }

        public long desc() {
            return desc;
        }

        public ReadStatus status() {
            return status;
        }

        /** A copy of the bytes. */
        public byte[] bytes() {
            return bytes.clone();
        }

        public String detail() {
            return detail;
        }

        /** Length of the bytes, without a copy. */
        public int length() {
            return bytes.length;
        }

        /** The bytes as a read-only buffer (position 0, limit {@link #length()}), without a copy. */
        public ByteBuffer view() {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }

        /** 4 KiB pages the table needs in the guest's buffer. */
        public int pagesNeeded() {
            return (bytes.length + 4095) / 4096;
        }

        /** The checked table (only when OK). */
        public CertTable table() {
            if (status != ReadStatus.OK) {
                throw new IllegalStateException("read failed: " + status + " " + detail);
            }
            return CertTable.decode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ReadReply r && desc == r.desc && status == r.status
                    && Arrays.equals(bytes, r.bytes) && detail.equals(r.detail);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(desc) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "ReadReply[desc=" + desc + ", status=" + status + ", " + bytes.length + " bytes"
                    + (detail.isEmpty() ? "" : ", " + detail) + "]";
        }
    }

    /** Atomically replaces the blob; needs the exclusive lock on {@code desc} (see class doc). */
    public record Write(long desc, CertTable table, ActorRef<WriteReply> replyTo) implements Command {
    }

    /** Outcome of a {@link Write}. */
    public enum WriteStatus { WRITTEN, NOT_LOCKED, UNWRITABLE, BAD_DESCRIPTOR }

    public record WriteReply(long desc, WriteStatus status, String detail) {
    }

    private record LockTimeout(long ticket) implements Command {
    }

    private record OwnerStopped(ActorRef<?> owner) implements Command {
    }

    private record Pending(long desc, LockMode mode, ActorRef<LockReply> replyTo) {
    }

    private final CertBlobFile blob;
    private final OfdLockTable locks;
    private final boolean requireLockToWrite;
    private final TimerScheduler<Command> timers;
    private final Trace trace;
    private final String entity;
    private final TreeMap<Long, ActorRef<?>> ownerOf = new TreeMap<>();
    /** Looked up by owner, never iterated (keys are ActorRefs). */
    private final Map<ActorRef<?>, TreeSet<Long>> descsOf = new HashMap<>();
    private final TreeMap<Long, Pending> pending = new TreeMap<>();

    /** A store over {@code blob} whose writers must hold the exclusive lock. */
    public static Behavior<Command> create(CertBlobFile blob, OfdLockTable locks) {
        return create(blob, locks, true);
    }

    public static Behavior<Command> create(CertBlobFile blob, OfdLockTable locks, boolean requireLockToWrite) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(
                timers -> new CertStore(ctx, timers, blob, locks, requireLockToWrite)));
    }

    private CertStore(ActorContext<Command> ctx, TimerScheduler<Command> timers, CertBlobFile blob,
            OfdLockTable locks, boolean requireLockToWrite) {
        super(ctx);
        this.blob = blob;
        this.locks = locks;
        this.requireLockToWrite = requireLockToWrite;
        this.timers = timers;
        this.trace = Trace.get(ctx.getSystem());
        this.entity = ctx.getSelf().path().name();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Open.class, this::onOpen)
                .onMessage(Lock.class, this::onLock)
                .onMessage(Unlock.class, this::onUnlock)
                .onMessage(Close.class, this::onClose)
                .onMessage(Read.class, this::onRead)
                .onMessage(Write.class, this::onWrite)
                .onMessage(LockTimeout.class, this::onLockTimeout)
                .onMessage(OwnerStopped.class, this::onOwnerStopped)
                .onSignal(PostStop.class, s -> closeBlob())
                .onSignal(PreRestart.class, s -> closeBlob())
                .build();
    }

    /** The blob stays open between reads (see {@link CertBlobFile#readChecked}); a stopped store lets it go. */
    private Behavior<Command> closeBlob() {
        blob.close();
        return this;
    }

    private Behavior<Command> onOpen(Open m) {
        long desc = locks.open();
        ownerOf.put(desc, m.owner());
        TreeSet<Long> descs = descsOf.get(m.owner());
        if (descs == null) {
            descs = new TreeSet<>();
            descsOf.put(m.owner(), descs);
            getContext().watchWith(m.owner(), new OwnerStopped(m.owner()));
        }
        descs.add(desc);
        trace.record(entity, "open", "desc", desc);
        m.replyTo().tell(new Opened(desc));
        return this;
    }

    private Behavior<Command> onLock(Lock m) {
        if (!locks.isOpen(m.desc()) || m.mode() == null || m.waitNanos() < Lock.WAIT_FOREVER) {
            m.replyTo().tell(new LockReply(m.desc(), m.mode(), LockStatus.BAD_DESCRIPTOR));
            return this;
        }
        if (m.waitNanos() == 0) {
            LockChange c = locks.tryLock(m.desc(), m.mode());
            LockStatus s = c.status() == LockChange.Status.GRANTED ? LockStatus.GRANTED : LockStatus.DENIED;
            trace.record(entity, "lock", "desc", m.desc(), "mode", m.mode(), "wait", "none", "status", s);
            m.replyTo().tell(new LockReply(m.desc(), m.mode(), s));
            notifyGranted(c.granted());
            return this;
        }
        LockChange c = locks.lock(m.desc(), m.mode());
        if (c.status() == LockChange.Status.GRANTED) {
            trace.record(entity, "lock", "desc", m.desc(), "mode", m.mode(), "status", LockStatus.GRANTED);
            m.replyTo().tell(new LockReply(m.desc(), m.mode(), LockStatus.GRANTED));
            notifyGranted(c.granted());
            return this;
        }
        pending.put(c.ticket(), new Pending(m.desc(), m.mode(), m.replyTo()));
        if (m.waitNanos() > 0) {
            timers.startSingleTimer(c.ticket(), new LockTimeout(c.ticket()), Duration.ofNanos(m.waitNanos()));
        }
        trace.record(entity, "lock", "desc", m.desc(), "mode", m.mode(), "status", "waiting", "ticket", c.ticket());
        return this;
    }

    private Behavior<Command> onLockTimeout(LockTimeout m) {
        Pending p = pending.remove(m.ticket());
        if (p == null) {
            return this; // granted or closed just before the timer fired
        }
        LockChange c = locks.cancel(m.ticket());
        trace.record(entity, "lock", "desc", p.desc(), "mode", p.mode(), "status", LockStatus.TIMED_OUT);
        p.replyTo().tell(new LockReply(p.desc(), p.mode(), LockStatus.TIMED_OUT));
        notifyGranted(c.granted());
        return this;
    }

    private Behavior<Command> onUnlock(Unlock m) {
        if (!locks.isOpen(m.desc())) {
            trace.record(entity, "unlock", "desc", m.desc(), "status", "bad-descriptor");
            return this;
        }
        LockChange c = locks.unlock(m.desc());
        trace.record(entity, "unlock", "desc", m.desc());
        notifyGranted(c.granted());
        return this;
    }

    private Behavior<Command> onClose(Close m) {
        closeDesc(m.desc(), "close");
        return this;
    }

    private Behavior<Command> onOwnerStopped(OwnerStopped m) {
        TreeSet<Long> descs = descsOf.get(m.owner());
        if (descs != null) {
            for (long desc : List.copyOf(descs)) {
                closeDesc(desc, "owner-stopped");
            }
            descsOf.remove(m.owner());
        }
        return this;
    }

    private void closeDesc(long desc, String why) {
        if (!locks.isOpen(desc)) {
            trace.record(entity, why, "desc", desc, "status", "bad-descriptor");
            return;
        }
        LockChange c = locks.close(desc);
        trace.record(entity, why, "desc", desc);
        for (LockWaiter w : c.cancelled()) {
            Pending p = pending.remove(w.ticket());
            timers.cancel(w.ticket());
            if (p != null) {
                p.replyTo().tell(new LockReply(p.desc(), p.mode(), LockStatus.CLOSED));
            }
        }
        ActorRef<?> owner = ownerOf.remove(desc);
        // the owner stays watched with no description open: a VMM opens and closes one per
        // certificate request, and a watch and unwatch each cost a system message to it
        descsOf.get(owner).remove(desc);
        notifyGranted(c.granted());
    }

    private Behavior<Command> onRead(Read m) {
        if (!locks.isOpen(m.desc())) {
            m.replyTo().tell(ReadReply.failed(m.desc(), ReadStatus.BAD_DESCRIPTOR,
                    "description " + m.desc() + " is not open"));
            return this;
        }
        ReadReply r;
        try {
            r = ReadReply.ok(m.desc(), blob.readChecked()); // the file's immutable array, not copied
        } catch (CertBlobException e) {
            ReadStatus s = e.kind() == CertBlobException.Kind.CORRUPT ? ReadStatus.CORRUPT : ReadStatus.UNREADABLE;
            r = ReadReply.failed(m.desc(), s, e.getMessage());
        }
        trace.record(entity, "read", "desc", m.desc(), "status", r.status(), "bytes", r.length());
        m.replyTo().tell(r);
        return this;
    }

    private Behavior<Command> onWrite(Write m) {
        WriteReply r;
        if (!locks.isOpen(m.desc()) || m.table() == null) {
            r = new WriteReply(m.desc(), WriteStatus.BAD_DESCRIPTOR,
                    m.table() == null ? "table is missing" : "description " + m.desc() + " is not open");
        } else if (requireLockToWrite && !locks.heldBy(m.desc()).equals(java.util.Optional.of(LockMode.EXCLUSIVE))) {
            r = new WriteReply(m.desc(), WriteStatus.NOT_LOCKED,
                    "description " + m.desc() + " does not hold the exclusive lock");
        } else {
            try {
                blob.writeAtomically(m.table());
                r = new WriteReply(m.desc(), WriteStatus.WRITTEN, "");
            } catch (CertBlobException e) {
                r = new WriteReply(m.desc(), WriteStatus.UNWRITABLE, e.getMessage());
            }
        }
        trace.record(entity, "write", "desc", m.desc(), "status", r.status());
        m.replyTo().tell(r);
        return this;
    }

    private void notifyGranted(List<LockWaiter> granted) {
        for (LockWaiter w : granted) {
            Pending p = pending.remove(w.ticket());
            timers.cancel(w.ticket());
            trace.record(entity, "lock", "desc", w.owner(), "mode", w.mode(), "status", LockStatus.GRANTED,
                    "ticket", w.ticket());
            if (p != null) {
                p.replyTo().tell(new LockReply(p.desc(), p.mode(), LockStatus.GRANTED));
            }
        }
    }
}
