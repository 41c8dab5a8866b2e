package dev.snpsim.host.nativekvm;

import java.util.List;

/**
 * The counters the guest program reported through {@link GuestProgram#REPORT_PORT} before
 * halting, in that order.
 *
 * @param successes         requests answered 0 with a well-formed certificate table
 * @param busyRetries       BUSY answers (each retried)
 * @param invalidLenRetries INVALID_LEN answers (each retried with the pages needed)
 * @param badTables         requests answered 0 whose certificate table was malformed
 * @param errors            requests that ended in any other error
 */
public record GuestCounters(long successes, long busyRetries, long invalidLenRetries,
        long badTables, long errors) {

    static GuestCounters of(List<Long> reported) {
        if (reported.size() != GuestProgram.REPORTED_COUNTERS) {
            throw KvmException.of("guest reported %d counters (expected: %d)", reported.size(),
                    GuestProgram.REPORTED_COUNTERS);
        }
        return new GuestCounters(reported.get(0), reported.get(1), reported.get(2), reported.get(3),
                reported.get(4));
    }

    /** Iterations the guest completed: successes, bad tables and errors. */
    public long completed() {
        return successes + badTables + errors;
    }
}
