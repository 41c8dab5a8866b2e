package dev.snpsim.sim;

import java.lang.reflect.Field;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link ThreadLocalRandom} on the simulation thread deterministic while the simulation
 * runs on it. Pekko draws actor uids (which are also {@code ActorRef} hash codes) from it, and
 * its internals iterate hash sets of actor references: for example, the watchers of a stopping
 * actor get {@code Terminated} in hash order. With random uids that order changes from run to
 * run. While a simulation runs, this swaps in the simulation's own generator state, derived
 * from its seed, and swaps it out again when the run ends.
 *
 * <p>The state is the per-thread seed field that {@code ThreadLocalRandom} itself keeps in
 * {@code java.lang.Thread}. It is read and written the way the JDK does it, through
 * {@code sun.misc.Unsafe}. If that field is missing (another JDK), uids stay random. A warning
 * is logged once, and only the order of such hash iterations can vary.
 */
final class ThreadRandomState {

    private static final sun.misc.Unsafe UNSAFE;
    private static final long SEED_OFFSET;

    static {
        sun.misc.Unsafe unsafe = null;
        long offset = -1;
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = (sun.misc.Unsafe) f.get(null);
            offset = unsafe.objectFieldOffset(Thread.class.getDeclaredField("threadLocalRandomSeed"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(ThreadRandomState.class)
                    .warn("cannot seed ThreadLocalRandom ({}); actor uids stay random", e.toString());
            unsafe = null;
        }
        UNSAFE = unsafe;
        SEED_OFFSET = offset;
    }

    private long state;
    private Thread inside;
    private long saved;

    /** A state starting from the simulation's seed. */
    ThreadRandomState(long seed) {
        this.state = SeedMixer.mix(seed, "snpsim/thread-local-random");
    }

    /** Swaps the simulation's state into the current thread; false if already inside. */
    synchronized boolean enter() {
        Thread t = Thread.currentThread();
        if (UNSAFE == null || inside == t) {
            return false;
        }
        ThreadLocalRandom.current(); // initialises the thread, so a later current() keeps our seed
        saved = UNSAFE.getLong(t, SEED_OFFSET);
        UNSAFE.putLong(t, SEED_OFFSET, state);
        inside = t;
        return true;
    }

    /** Swaps the thread's own state back, keeping the simulation's for the next enter. */
    synchronized void exit() {
        Thread t = Thread.currentThread();
        if (inside != t) {
            return;
        }
        state = UNSAFE.getLong(t, SEED_OFFSET);
        UNSAFE.putLong(t, SEED_OFFSET, saved);
        inside = null;
    }
}
