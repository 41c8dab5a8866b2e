package dev.snpsim.host.mgmt;

/**
 * Test hook: makes the management tool throw once at a chosen {@link CrashPoint}, as if the
 * process died there. Its lock is released like a dead process's: the description is closed
 * when the actor fails (and by the store's watch if it stops).
 */
public final class CrashHook {
    private CrashPoint armed;
    private int fired;

    /** A hook that never fires. */
    public static CrashHook none() {
        return new CrashHook();
    }

    /** Crash the next time {@code point} is reached (once). */
    public synchronized CrashHook arm(CrashPoint point) {
        armed = point;
        return this;
    }

    /** How many crashes have been made. */
    public synchronized int fired() {
        return fired;
    }

    synchronized void at(CrashPoint point) {
        if (armed == point) {
            armed = null;
            fired++;
            throw new MgmtCrash(point);
        }
    }

    /** The simulated crash. */
    public static final class MgmtCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MgmtCrash(CrashPoint point) {
            super("management tool crashed at " + point.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
