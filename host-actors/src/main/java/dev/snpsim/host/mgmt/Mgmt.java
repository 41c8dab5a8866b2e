package dev.snpsim.host.mgmt;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.certstore.LockMode;
import dev.snpsim.host.kds.Kds;
import dev.snpsim.host.kds.KdsStatus;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The host's management tool. Each operation runs alone (others queue) and, with locking on,
 * holds the blob's exclusive lock from before its firmware command until the blob has been
 * rewritten to match, so no VMM serves certificates in between (SPEC.md section 4):
 * <ul>
 *   <li>{@link RotateVlek}: fetch the VLEK (hashstick and chain) from AMD, lock, SNP_VLEK_LOAD,
 *       rewrite the blob with the VLEK chain, unlock;
 *   <li>{@link UpdateFirmware}: lock, DOWNLOAD_FIRMWARE_EX, SNP_COMMIT, rewrite the blob for the
 *       platform's key, unlock;
 *   <li>{@link SetReportedTcb}: lock, SNP_SET_CONFIG, fetch the VCEK of the new reported TCB from
 *       the KDS (cached; waits out an HTTP 429), rewrite the blob, unlock;
 *   <li>{@link RefreshBlob}: lock, rewrite the blob for the platform's key, unlock.
 * </ul>
 * The blob holds the VLEK chain while a VLEK is loaded, else the VCEK chain of the reported TCB.
 * A crash (a {@link CrashHook} in tests) closes the tool's description, which releases the lock;
 * the tool restarts and, if the firmware changed but the blob was not yet rewritten, rewrites it
 * before anything else, so the blob is old or new, never torn, and ends consistent with the key.
 */
public final class Mgmt extends AbstractBehavior<Mgmt.Command> {
    /** Everything the tool accepts. */
    public interface Command {
    }

    /** Loads the {@code generation}-th VLEK of {@code cspId} for {@code tcb} and serves its chain. */
    public record RotateVlek(String cspId, int generation, long tcb, ActorRef<Done> replyTo) implements Command {
    }

    /** Installs firmware {@code major.minor.build} raising CURRENT_TCB to {@code newCurrentTcb}, then commits. */
    public record UpdateFirmware(int build, int minor, int major, TcbVersion newCurrentTcb, ActorRef<Done> replyTo)
            implements Command {
    }

    /** SNP_SET_CONFIG with {@code reportedTcb}; the blob then serves that TCB's VCEK. */
    public record SetReportedTcb(TcbVersion reportedTcb, ActorRef<Done> replyTo) implements Command {
    }

    /** Rewrites the blob for the key the platform signs with now. */
    public record RefreshBlob(ActorRef<Done> replyTo) implements Command {
    }

    /** How an operation ended. */
    public enum Result { DONE, FIRMWARE_ERROR, KDS_ERROR, BLOB_ERROR, LOCK_FAILED }

    /** The answer to an operation: its name, result and a detail for errors. */
    public record Done(String operation, Result result, String detail) {
    }

    private record Reply(Object payload) implements Command {
    }

    private record Retry(Runnable action) implements Command {
    }

    private final MgmtConfig config;
    private final MgmtJournal journal;
    private final ActorRef<Psp.Command> psp;
    private final ActorRef<CertStore.Command> store;
    private final ActorRef<Kds.Command> kds;
    private final TimerScheduler<Command> timers;
    private final Trace trace;
    private final String entity;
    private final ArrayDeque<Command> queue = new ArrayDeque<>();
    private final ActorRef<Object> replies;
    private long desc = -1;
    private Command current;
    private Consumer<Object> awaiting;

    public static Behavior<Command> create(MgmtConfig config, ActorRef<Psp.Command> psp,
                                           ActorRef<CertStore.Command> store, ActorRef<Kds.Command> kds) {
        MgmtJournal journal = new MgmtJournal(); // survives restarts, as the tool's files do
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(
                        timers -> new Mgmt(ctx, timers, config, journal, psp, store, kds))))
                .onFailure(CrashHook.MgmtCrash.class, SupervisorStrategy.restart());
    }

    @SuppressWarnings("unchecked")
    private Mgmt(ActorContext<Command> ctx, TimerScheduler<Command> timers, MgmtConfig config, MgmtJournal journal,
                 ActorRef<Psp.Command> psp, ActorRef<CertStore.Command> store, ActorRef<Kds.Command> kds) {
        super(ctx);
        this.config = config;
        this.journal = journal;
        this.psp = psp;
        this.store = store;
        this.kds = kds;
        this.timers = timers;
        this.trace = Trace.get(ctx.getSystem());
        this.entity = ctx.getSelf().path().name();
        this.replies = ctx.messageAdapter(Object.class, Reply::new);
        if (journal.blobStale) {
            trace.record(entity, "recover", "why", "firmware changed, blob not rewritten");
            queue.add(new RefreshBlob(ctx.getSystem().ignoreRef()));
        }
        awaiting = o -> {
            desc = ((CertStore.Opened) o).desc();
            startNext();
        };
        store.tell(new CertStore.Open(ctx.getSelf(), (ActorRef<CertStore.Opened>) (ActorRef<?>) replies));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RotateVlek.class, this::enqueue)
                .onMessage(UpdateFirmware.class, this::enqueue)
                .onMessage(SetReportedTcb.class, this::enqueue)
                .onMessage(RefreshBlob.class, this::enqueue)
                .onMessage(Reply.class, this::onReply)
                .onMessage(Retry.class, r -> {
                    r.action().run();
                    return this;
                })
                .onSignal(PreRestart.class, s -> closeDescription())
                .onSignal(PostStop.class, s -> closeDescription())
                .build();
    }

    private Behavior<Command> closeDescription() {
        if (desc >= 0) {
            store.tell(new CertStore.Close(desc));
            desc = -1;
        }
        return this;
    }

    private Behavior<Command> enqueue(Command op) {
        queue.add(op);
        startNext();
        return this;
    }

    private Behavior<Command> onReply(Reply r) {
        Consumer<Object> k = awaiting;
        awaiting = null;
        if (k != null) {
            k.accept(r.payload());
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private <T> ActorRef<T> replyTo() {
        return (ActorRef<T>) (ActorRef<?>) replies;
    }

    private <T> void then(Class<T> type, Consumer<T> k) {
        awaiting = o -> k.accept(type.cast(o));
    }

    private void startNext() {
        if (current != null || desc < 0 || queue.isEmpty()) {
            return;
        }
        current = queue.poll();
        trace.record(entity, "start", "op", name(current));
        if (current instanceof RotateVlek m) {
            kds.tell(new Kds.FetchVlek(config.product(), m.cspId(), m.generation(), m.tcb(), replyTo()));
            then(Kds.VlekReply.class, r -> {
                if (r.status() != KdsStatus.OK) {
                    finish(Result.KDS_ERROR, r.status() + ": " + r.detail());
                    return;
                }
                locked(() -> firmware(new Psp.VlekLoad(r.hashstick(), replyTo()), () -> {
                    journal.vlek = new MgmtJournal.LoadedVlek(m.cspId(), m.generation(), m.tcb(), r.table());
                    firmwareChanged();
                    writeBlob(r.table());
                }));
            });
        } else if (current instanceof UpdateFirmware m) {
            locked(() -> firmware(new Psp.DownloadFirmware(m.build(), m.minor(), m.major(), m.newCurrentTcb(),
                    replyTo()), () -> firmware(new Psp.Commit(replyTo()), () -> {
                        firmwareChanged();
                        refreshFromPlatform();
                    })));
        } else if (current instanceof SetReportedTcb m) {
            locked(() -> firmware(new Psp.SetConfig(m.reportedTcb(), false, false, replyTo()), () -> {
                firmwareChanged();
                refreshFromPlatform();
            }));
        } else {
            locked(this::refreshFromPlatform);
        }
    }

    private void firmwareChanged() {
        journal.blobStale = true;
        config.crash().at(CrashPoint.AFTER_FIRMWARE);
    }

    private void locked(Runnable k) {
        if (!config.locking()) {
            k.run();
            return;
        }
        store.tell(CertStore.Lock.untimed(desc, LockMode.EXCLUSIVE, replyTo()));
        then(CertStore.LockReply.class, r -> {
            if (r.status() != CertStore.LockStatus.GRANTED) {
                finish(Result.LOCK_FAILED, "exclusive lock " + r.status());
                return;
            }
            config.crash().at(CrashPoint.AFTER_LOCK);
            k.run();
        });
    }

    private void firmware(Psp.Command command, Runnable k) {
        psp.tell(command);
        then(Psp.PlatformReply.class, r -> {
            trace.record(entity, "firmware", "command", r.command(), "status", r.status());
            if (r.status() != FirmwareStatus.SUCCESS) {
                finish(Result.FIRMWARE_ERROR, r.command() + " " + r.status());
            } else {
                k.run();
            }
        });
    }

    private void refreshFromPlatform() {
        psp.tell(new Psp.PlatformStatus(replyTo()));
        then(Psp.PlatformStatusReply.class, s -> {
            if (s.status() != FirmwareStatus.SUCCESS) {
                finish(Result.FIRMWARE_ERROR, "SNP_PLATFORM_STATUS " + s.status());
            } else if (s.state().vlekLoaded() && journal.vlek != null) {
                writeBlob(journal.vlek.table());
            } else {
                withVcekChain(s.state().reportedTcb().raw(), this::writeBlob);
            }
        });
    }

    private void withVcekChain(long tcb, Consumer<CertTable> k) {
        CertTable cached = journal.vcekChains.get(tcb);
        if (cached != null) {
            k.accept(cached);
            return;
        }
        kds.tell(new Kds.FetchVcek(config.product(), config.chipId(), tcb, replyTo()));
        then(Kds.VcekReply.class, r -> {
            if (r.status() == KdsStatus.OK) {
                journal.vcekChains.put(tcb, r.table());
                k.accept(r.table());
            } else if (r.status() == KdsStatus.TOO_MANY_REQUESTS) {
                trace.record(entity, "kds-retry", "after-ns", r.retryAfterNanos());
                timers.startSingleTimer(new Retry(() -> withVcekChain(tcb, k)),
                        Duration.ofNanos(Math.max(1, r.retryAfterNanos())));
            } else {
                finish(Result.KDS_ERROR, r.status() + ": " + r.detail());
            }
        });
    }

    private void writeBlob(CertTable table) {
        store.tell(new CertStore.Write(desc, table, replyTo()));
        then(CertStore.WriteReply.class, w -> {
            if (w.status() != CertStore.WriteStatus.WRITTEN) {
                finish(Result.BLOB_ERROR, w.status() + ": " + w.detail());
                return;
            }
            journal.blobStale = false;
            config.crash().at(CrashPoint.AFTER_BLOB);
            finish(Result.DONE, "");
        });
    }

    private void finish(Result result, String detail) {
        if (config.locking()) {
            store.tell(new CertStore.Unlock(desc));
        }
        Command op = current;
        current = null;
        // the detail may name the blob's path: only the result goes into the trace
        trace.record(entity, "done", "op", name(op), "result", result);
        ActorRef<Done> to = op instanceof RotateVlek m ? m.replyTo()
                : op instanceof UpdateFirmware m ? m.replyTo()
                : op instanceof SetReportedTcb m ? m.replyTo()
                : ((RefreshBlob) op).replyTo();
        to.tell(new Done(name(op), result, detail));
        startNext();
    }

    private static String name(Command op) {
        return op.getClass().getSimpleName();
    }
}
