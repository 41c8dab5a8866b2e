package dev.snpsim.host.certstore;

/**
 * A waiting ({@code F_OFD_SETLKW}) request: its ticket, the open description that made
 * it and the mode it asks for. Tickets increase in request order.
 */
public record LockWaiter(long ticket, long owner, LockMode mode) {
    public LockWaiter {
        if (mode == null) {
            throw new IllegalArgumentException("mode is missing");
        }
    }
}
