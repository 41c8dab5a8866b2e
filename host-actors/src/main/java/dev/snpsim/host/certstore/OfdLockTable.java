package dev.snpsim.host.certstore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whole-file locks with open-file-description semantics ({@code fcntl F_OFD_SETLK},
 * {@code F_OFD_SETLKW}), for one file. Pure logic: no time, no threads, no actors.
 *
 * <p><b>Owners.</b> A lock belongs to an open file description ({@link #open()} hands out
 * its id), not to a process: two descriptions of one process conflict like two processes,
 * and a description never conflicts with itself. {@link #close(long)} drops its lock and
 * its waiting requests, as the last {@code close(2)} of a description does.
 *
 * <p><b>Conversion.</b> A description holds at most one lock on the file; a new request
 * from a holder replaces its lock once granted, as Linux does for a whole-file range:
 * <ul>
 * <li>exclusive to shared (downgrade) never conflicts and is granted at once; it may let
 *     waiting readers in, which the returned change lists;</li>
 * <li>shared to exclusive (upgrade) is checked against the other holders only. Denied or
 *     while it waits, the description <em>keeps</em> its shared lock (Linux checks for
 *     conflicts before it touches the existing lock). Two shared holders that both wait
 *     to upgrade wait for each other forever: Linux runs no deadlock detection for OFD
 *     locks, and neither does this table. The timed waits of the VMM and the management
 *     tool (the caller cancels at its deadline) are what breaks such a cycle.</li>
 * </ul>
 *
 * <p><b>Waiting.</b> A waiting request gets a ticket; waiters are considered in ticket
 * order each time a lock is released or converted or a waiter is cancelled. The caller
 * (an actor) implements a timeout by scheduling a timer and calling {@link #cancel(long)}.
 * Who may overtake whom is the {@link LockFairness} policy given at construction.
 *
 * <p>Every operation returns a {@link LockChange} naming the waiters it granted or dropped.
 * Operations on a description that is not open throw {@link IllegalArgumentException}: the
 * owning actor checks descriptions and answers its callers with a status instead.
 *
 * <p>Not modelled: byte ranges (the VMM and the tools lock the whole blob), lock
 * inheritance across {@code fork}/{@code dup} (a description id stands for all its dups).
 */
public final class OfdLockTable {

    private final LockFairness fairness;
    private final TreeSet<Long> open = new TreeSet<>();
    private final TreeMap<Long, LockMode> held = new TreeMap<>();
    /** How many entries of {@link #held} are EXCLUSIVE; kept by {@link #hold} and {@link #release}. */
    private int exclusiveHeld;
    /** Waiting requests by ticket, in ticket (arrival) order. */
    private final LinkedHashMap<Long, LockWaiter> waiting = new LinkedHashMap<>();
    private long nextDescription = 1;
    private long nextTicket = 1;

    /** A table with the default policy, {@link LockFairness#WRITER_PREFERRED}. */
    public OfdLockTable() {
        this(LockFairness.WRITER_PREFERRED);
    }

    public OfdLockTable(LockFairness fairness) {
        if (fairness == null) {
            throw new IllegalArgumentException("fairness is missing");
        }
        this.fairness = fairness;
    }

    public LockFairness fairness() {
        return fairness;
    }

    /** Opens a new description of the file and returns its id (ids start at 1, never reused). */
    public long open() {
        long id = nextDescription++;
        open.add(id);
        return id;
    }

    public boolean isOpen(long owner) {
        return open.contains(owner);
    }

    /** The lock this description holds, if any. */
    public Optional<LockMode> heldBy(long owner) {
        return Optional.ofNullable(held.get(owner));
    }

    /** All held locks by description id. */
    public SortedMap<Long, LockMode> holders() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(held));
    }

    /** The waiting requests in the order they are considered. */
    public List<LockWaiter> waiters() {
        return List.copyOf(waiting.values());
    }

    /**
     * Non-blocking request ({@code F_OFD_SETLK}): {@link LockChange.Status#GRANTED} or
     * {@link LockChange.Status#DENIED} at once. A granted downgrade may grant waiters.
     */
    public LockChange tryLock(long owner, LockMode mode) {
        requireOpen(owner);
        requireMode(mode);
        if (!grantable(owner, mode, Long.MAX_VALUE)) {
            return LockChange.of(LockChange.Status.DENIED, List.of());
        }
        hold(owner, mode);
        return LockChange.of(LockChange.Status.GRANTED, settle());
    }

    /**
     * Waiting request ({@code F_OFD_SETLKW}): {@link LockChange.Status#GRANTED} at once, or
     * {@link LockChange.Status#QUEUED} with a ticket the caller may later {@link #cancel}.
     */
    public LockChange lock(long owner, LockMode mode) {
        requireOpen(owner);
        requireMode(mode);
        if (grantable(owner, mode, Long.MAX_VALUE)) {
            hold(owner, mode);
            return LockChange.of(LockChange.Status.GRANTED, settle());
        }
        long ticket = nextTicket++;
        waiting.put(ticket, new LockWaiter(ticket, owner, mode));
        return new LockChange(LockChange.Status.QUEUED, ticket, List.of(), List.of());
    }

    /**
     * Releases the description's lock ({@code F_UNLCK}); a description holding nothing
     * succeeds too, as on Linux. Its own waiting requests stay queued.
     */
    public LockChange unlock(long owner) {
        requireOpen(owner);
        release(owner);
        return LockChange.of(LockChange.Status.DONE, settle());
    }

    /** Withdraws a waiting request (its deadline passed); {@code NOT_FOUND} if it no longer waits. */
    public LockChange cancel(long ticket) {
        if (waiting.remove(ticket) == null) {
            return LockChange.of(LockChange.Status.NOT_FOUND, List.of());
        }
        return LockChange.of(LockChange.Status.DONE, settle());
    }

    /** Closes the description: its lock is released and its waiting requests are dropped. */
    public LockChange close(long owner) {
        requireOpen(owner);
        List<LockWaiter> dropped = new ArrayList<>();
        for (Iterator<LockWaiter> it = waiting.values().iterator(); it.hasNext(); ) {
            LockWaiter w = it.next();
            if (w.owner() == owner) {
                dropped.add(w);
                it.remove();
            }
        }
        release(owner);
        open.remove(owner);
        return new LockChange(LockChange.Status.DONE, 0, settle(), dropped);
    }

    /**
     * True where {@code owner} may take {@code mode} now, considering waiters with a ticket
     * below {@code before} (all waiters for a new request).
     */
    private boolean grantable(long owner, LockMode mode, long before) {
        // another holder conflicts: for EXCLUSIVE any other holder, for SHARED another EXCLUSIVE
        // one (LockMode.conflictsWith), counted instead of scanning every holder
        LockMode own = held.get(owner);
        int others = mode == LockMode.EXCLUSIVE
                ? held.size() - (own == null ? 0 : 1)
                : exclusiveHeld - (own == LockMode.EXCLUSIVE ? 1 : 0);
        if (others > 0) {
            return false;
        }
        return !(fairness == LockFairness.WRITER_PREFERRED
                && mode == LockMode.SHARED
                && own == null
                && writerWaitsBefore(owner, before));
    }

    private void hold(long owner, LockMode mode) {
        LockMode was = held.put(owner, mode);
        exclusiveHeld += (mode == LockMode.EXCLUSIVE ? 1 : 0) - (was == LockMode.EXCLUSIVE ? 1 : 0);
    }

    private void release(long owner) {
        if (held.remove(owner) == LockMode.EXCLUSIVE) {
            exclusiveHeld--;
        }
    }

    private boolean writerWaitsBefore(long owner, long before) {
        for (LockWaiter w : waiting.values()) {
            if (w.ticket() >= before) {
                break;
            }
            if (w.owner() != owner && w.mode() == LockMode.EXCLUSIVE) {
                return true;
            }
        }
        return false;
    }

    /** Grants every waiter that may go now, in ticket order, until nothing changes. */
    private List<LockWaiter> settle() {
        if (waiting.isEmpty()) {
            return List.of();   // the common case: nobody waits
        }
        List<LockWaiter> granted = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Iterator<LockWaiter> it = waiting.values().iterator(); it.hasNext(); ) {
                LockWaiter w = it.next();
                if (grantable(w.owner(), w.mode(), w.ticket())) {
                    it.remove();
                    hold(w.owner(), w.mode());
                    granted.add(w);
                    changed = true;
                }
            }
        }
        return granted;
    }

    private void requireOpen(long owner) {
        if (!open.contains(owner)) {
            throw new IllegalArgumentException("description " + owner + " is not open");
        }
    }

    private static void requireMode(LockMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("lock mode is missing");
        }
    }
}
