package dev.snpsim.sim;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The only clock model code reads: nanoseconds since the simulation started. In virtual time it
 * is the virtual scheduler's clock, which moves only when the driver fires a timer; in real time
 * it is the monotonic wall clock measured from when this extension was first used (a
 * {@link Simulation} touches it right after creating its system).
 *
 * <pre>{@code
 * long now = SimClock.get(context.getSystem()).now();
 * }</pre>
 */
public final class SimClock implements Extension {

    private static final ExtensionId<SimClock> ID = new ExtensionId<>() {
        @Override
        public SimClock createExtension(ActorSystem<?> system) {
            return new SimClock(system);
        }
    };

    /** The clock of this actor system. */
    public static SimClock get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    private final VirtualScheduler virtual;
    private final long wallStart;

    private SimClock(ActorSystem<?> system) {
        this.virtual = system.classicSystem().scheduler() instanceof VirtualScheduler v ? v : null;
        this.wallStart = System.nanoTime();
    }

    /** Nanoseconds since the simulation started (virtual or wall-clock). */
    public long now() {
        return virtual != null ? virtual.nowNanos() : System.nanoTime() - wallStart;
    }

    /** {@link #now()} as a {@link Duration}. */
    public Duration elapsed() {
        return Duration.ofNanos(now());
    }

    /** True if this clock is virtual. */
    public boolean isVirtual() {
        return virtual != null;
    }
}
