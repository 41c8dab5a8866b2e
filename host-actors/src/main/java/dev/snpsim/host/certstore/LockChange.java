package dev.snpsim.host.certstore;

import java.util.List;

/**
 * What one operation on an {@link OfdLockTable} did: the outcome for the caller and every
 * other request it affected, so that an actor can notify exactly those waiters.
 *
 * @param status    outcome of the operation for its caller
 * @param ticket    the ticket of the caller's request when {@link Status#QUEUED}, else 0
 * @param granted   waiting requests granted by this operation, in grant order
 * @param cancelled waiting requests dropped by this operation (their description closed)
 */
public record LockChange(Status status, long ticket, List<LockWaiter> granted, List<LockWaiter> cancelled) {

    /** Outcome of an operation for its caller. */
    public enum Status {
        /** The requested lock is held now. */
        GRANTED,
        /** Non-blocking request in conflict: {@code EAGAIN} from {@code F_OFD_SETLK}. */
        DENIED,
        /** Waiting request in conflict: it waits under {@link LockChange#ticket()}. */
        QUEUED,
        /** Unlock, close or cancel carried out. */
        DONE,
        /** Cancel of a ticket that no longer waits (granted or cancelled before). */
        NOT_FOUND
    }

    public LockChange {
        granted = List.copyOf(granted);
        cancelled = List.copyOf(cancelled);
    }

    static LockChange of(Status status, List<LockWaiter> granted) {
        return new LockChange(status, 0, granted, List.of());
    }
}
