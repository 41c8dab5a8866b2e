package dev.snpsim.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A test actor that records every message it receives with the simulated time of arrival.
 * Create with {@link Simulation#probe(String)}; hand {@link #ref()} to the actors under test.
 *
 * <p>The {@code expect*}/{@code receive*} methods consume recorded messages in arrival order; if
 * none is waiting they run the simulation (on the calling thread) until one arrives or the
 * given simulated time has passed. {@link #messages()} and {@link #received()} show everything
 * recorded, consumed or not.
 *
 * <pre>{@code
 * SimProbe<Pong> probe = sim.probe("pongs");
 * sim.tell(ponger, new Ping(probe.ref()));
 * Pong p = probe.expectMessageClass(Pong.class);          // runs the simulation as needed
 * assertThat(probe.lastArrivalNanos()).isEqualTo(5_000_000L);
 * }</pre>
 *
 * @param <M> the message type
 */
public final class SimProbe<M> {

    /** Default wait of the {@code expect*} methods: one simulated (or wall) minute. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);

    /**
     * One message and when it arrived.
     *
     * @param simNanos the simulation clock when the probe handled it
     * @param message the message
     */
    public record Received<M>(long simNanos, M message) {
    }

    private final Simulation<?> sim;
    private final String name;
    private final ActorRef<M> ref;
    /** guarded by itself: written by the probe actor, read by the test thread */
    private final List<Received<M>> log = new ArrayList<>();
    private int next;
    private long lastArrival = -1;

    SimProbe(Simulation<?> sim, String name) {
        this.sim = sim;
        this.name = name;
        SimClock clock = SimClock.get(sim.system());
        Behavior<M> recorder = Behaviors.receive((ctx, msg) -> {
            synchronized (log) {
                log.add(new Received<>(clock.now(), msg));
            }
            return Behaviors.same();
        });
        this.ref = sim.spawn(recorder, name);
    }

    /** The probe's address. */
    public ActorRef<M> ref() {
        return ref;
    }

    /** All messages recorded so far, in arrival order. */
    public List<M> messages() {
        synchronized (log) {
            return log.stream().map(Received::message).toList();
        }
    }

    /** All messages recorded so far with their arrival times. */
    public List<Received<M>> received() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Number of messages recorded so far. */
    public int count() {
        synchronized (log) {
            return log.size();
        }
    }

    /** Arrival time (simulated ns) of the i-th message recorded. */
    public long receivedAt(int index) {
        synchronized (log) {
            return log.get(index).simNanos();
        }
    }

    /** Arrival time of the message most recently consumed by an expect/receive method, or -1. */
    public long lastArrivalNanos() {
        return lastArrival;
    }

    /** The next unconsumed message, running the simulation up to {@link #DEFAULT_WAIT} for it. */
    public M receiveMessage() {
        return receiveMessage(DEFAULT_WAIT);
    }

    /** The next unconsumed message, running the simulation up to max for it. */
    public M receiveMessage(Duration max) {
        if (!hasUnconsumed()) {
            sim.runUntil(this::hasUnconsumed, max);
        }
        synchronized (log) {
            if (next >= log.size()) {
                throw new AssertionError("probe " + name + ": no message within " + max + " (received "
                        + log.size() + " in all, all consumed)");
            }
            Received<M> r = log.get(next++);
            lastArrival = r.simNanos();
            return r.message();
        }
    }

    /** The next message, which must be of this class. */
    public <C extends M> C expectMessageClass(Class<C> type) {
        return expectMessageClass(type, DEFAULT_WAIT);
    }

    /** The next message within max, which must be of this class. */
    public <C extends M> C expectMessageClass(Class<C> type, Duration max) {
        M m = receiveMessage(max);
        if (!type.isInstance(m)) {
            throw new AssertionError("probe " + name + ": expected a message of class " + type.getName()
                    + ", got " + m.getClass().getName() + ": " + m);
        }
        return type.cast(m);
    }

    /** The next message, which must equal expected. */
    public M expectMessage(M expected) {
        M m = receiveMessage(DEFAULT_WAIT);
        if (!Objects.equals(m, expected)) {
            throw new AssertionError("probe " + name + ": expected " + expected + ", got " + m);
        }
        return m;
    }

    /** The next n messages, running the simulation up to max for them. */
    public List<M> receiveMessages(int n, Duration max) {
        sim.runUntil(() -> unconsumed() >= n, max);
        if (unconsumed() < n) {
            throw new AssertionError("probe " + name + ": expected " + n + " messages within " + max + ", got "
                    + unconsumed());
        }
        List<M> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(receiveMessage(Duration.ZERO));
        }
        return out;
    }

    /** Runs the simulation for duration (it advances the clock) and asserts no message came. */
    public void expectNoMessage(Duration duration) {
        sim.runFor(duration);
        synchronized (log) {
            if (next < log.size()) {
                Received<M> r = log.get(next);
                throw new AssertionError("probe " + name + ": expected no message, got " + r.message() + " at "
                        + r.simNanos() + " ns");
            }
        }
    }

    private boolean hasUnconsumed() {
        return unconsumed() > 0;
    }

    private int unconsumed() {
        synchronized (log) {
            return log.size() - next;
        }
    }
}
