package dev.snpsim.sim;

import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated system: a Pekko Typed actor system on virtual time (or its real-time twin) plus
 * the driver that advances it. Not thread-safe: drive it from one thread at a time.
 *
 * <pre>{@code
 * try (Simulation<Host.Command> sim = Simulation.create(Host.create(), "host", SimConfig.virtual(42))) {
 *     sim.tell(sim.system(), new Host.Start(100));
 *     RunStats s = sim.runFor(Duration.ofHours(1));
 *     System.out.println(sim.trace().digestHex());
 * }
 * }</pre>
 *
 * <p>In virtual time nothing happens between {@code run*} calls: messages sent from outside
 * (with {@link #tell}) queue up and are handled by the next run, on the calling thread.
 *
 * <p>A task that throws an exception is logged and counted ({@link #taskFailures()}) and the run
 * goes on; one that throws a {@link VirtualMachineError} (out of heap, stack overflow) halts the
 * run: the {@code run*} call throws {@link HaltedException}, and so does every later one.
 *
 * @param <T> the guardian's message type
 */
public final class Simulation<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final long DEFAULT_PROGRESS_EVENTS = 1_000_000L;
    private static final Duration DEFAULT_PROGRESS_WALL = Duration.ofMillis(500);
    private static final Duration CLOSE_LIMIT = Duration.ofHours(1);

    private final ActorSystem<T> system;
    private final SimConfig config;
    private final String instance;
    private final Driver driver;
    private final ThreadRandomState threadRandom;
    private Progress progress = Progress.NONE;
    private boolean closed;
    private HaltedException halted;

    /**
     * A virtual-time run was halted because a task threw a {@link VirtualMachineError} (the
     * cause), e.g. the heap ran out: the simulation cannot go on and its figures are void.
     */
    public static final class HaltedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        HaltedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Simulation(ActorSystem<T> system, SimConfig config, String instance, Driver driver,
            ThreadRandomState threadRandom) {
        this.threadRandom = threadRandom;
        this.system = system;
        this.config = config;
        this.instance = instance;
        this.driver = driver;
    }

    /**
     * Creates the actor system with the guardian behaviour. Nothing runs until the first
     * {@code run*} call in virtual time.
     *
     * @param name the actor system's name (a valid Pekko system name)
     */
    public static <T> Simulation<T> create(Behavior<T> guardian, String name, SimConfig config) {
        String instance = name + "-" + INSTANCES.incrementAndGet();
        CountingExecutorConfigurator.Counts counts =
                config.isVirtual() ? null : CountingExecutorConfigurator.register(instance);
        ThreadRandomState threadRandom = new ThreadRandomState(config.seed());
        boolean entered = config.isVirtual() && threadRandom.enter();
        ActorSystem<T> system;
        try {
            system = ActorSystem.create(guardian, name, config.toPekkoConfig(instance));
        } finally {
            if (entered) {
                threadRandom.exit();
            }
        }
        SimClock clock = SimClock.get(system);
        Driver driver;
        if (config.isVirtual()) {
            if (!(system.classicSystem().scheduler() instanceof VirtualScheduler scheduler)) {
                system.terminate();
                throw new IllegalStateException("virtual simulation got scheduler "
                        + system.classicSystem().scheduler().getClass().getName()
                        + " (expected: " + VirtualScheduler.class.getName() + "); check pekko.scheduler overrides");
            }
            scheduler.loop().setThreadRandom(threadRandom);
            driver = new VirtualDriver(scheduler.loop());
        } else {
            driver = new RealtimeDriver(clock, counts);
        }
        Trace.get(system);
        Simulation<T> sim = new Simulation<>(system, config, instance, driver, threadRandom);
        if (config.isVirtual()) {
            sim.withThreadRandom(() -> {
                ClassicLogToSlf4j.install(system);
                return null;
            });
        }
        return sim;
    }

    /** Runs action with the simulation's ThreadLocalRandom state (actor uids) in virtual time. */
    private <R> R withThreadRandom(Supplier<R> action) {
        boolean entered = config.isVirtual() && threadRandom.enter();
        try {
            return action.get();
        } finally {
            if (entered) {
                threadRandom.exit();
            }
        }
    }

    /** The actor system; its guardian is the behaviour given to {@link #create}. */
    public ActorSystem<T> system() {
        return system;
    }

    /** The configuration this simulation was created with. */
    public SimConfig config() {
        return config;
    }

    /** Runs for this much simulated time (virtual) or waits this long (real time). */
    public RunStats runFor(Duration duration) {
        return runUntil(SimLoop.saturatedAdd(nowNanos(), duration.toNanos()));
    }

    /**
     * Runs until the clock reads simNanos; the clock ends exactly there (an instant already
     * passed runs only what is due now).
     */
    public RunStats runUntil(long simNanos) {
        return run(simNanos, null, true, false);
    }

    /**
     * Runs until no task is queued and no timer is pending (virtual), or until the dispatcher has
     * been quiet for 100 ms (real time); never longer than {@link SimConfig#idleLimit()}, so a
     * repeating timer cannot make it hang (then {@link RunStats#idle()} is false).
     */
    public RunStats runUntilIdle() {
        return run(SimLoop.saturatedAdd(nowNanos(), config.idleLimit().toNanos()), null, false, true);
    }

    /**
     * Runs until the condition holds or max time has passed, whichever comes first; in the
     * second case the clock ends at exactly now + max, as after {@link #runFor}. In virtual time
     * the condition is checked whenever the system is quiescent at the current instant; in real
     * time every millisecond.
     */
    public RunStats runUntil(BooleanSupplier condition, Duration max) {
        return run(SimLoop.saturatedAdd(nowNanos(), max.toNanos()), condition, true, false);
    }

    private RunStats run(long end, BooleanSupplier stop, boolean advanceToEnd, boolean untilIdle) {
        if (closed) {
            throw new IllegalStateException("simulation " + system.name() + " is closed");
        }
        if (halted != null) {
            throw new HaltedException("simulation " + system.name() + " was halted by an earlier run: "
                    + halted.getMessage(), halted.getCause());
        }
        try {
            return driver.run(end, stop, advanceToEnd, untilIdle, progress);
        } catch (HaltedException e) {
            halted = e;
            LOG.error("{}", e.getMessage(), e.getCause());
            throw e;
        }
    }

    /** The error that halted this simulation ({@link HaltedException}'s cause), or null if none did. */
    public Throwable haltedBy() {
        return halted == null ? null : halted.getCause();
    }

    /** Nanoseconds since the simulation started. */
    public long nowNanos() {
        return driver.now();
    }

    /** Tasks run plus timers fired since the simulation started. */
    public long events() {
        return driver.events();
    }

    /**
     * Tasks and timers that threw out of the executor so far (a {@link VirtualMachineError}
     * included). Each is a bug in model code (it is logged); a run with any should not be
     * trusted. 0 in real time, where it is not counted.
     */
    public long taskFailures() {
        return driver.taskFailures();
    }

    /**
     * Tasks submitted from threads other than the one driving the simulation: their arrival
     * time depends on wall-clock scheduling, so a run with any may not repeat. 0 in real time.
     */
    public long foreignSubmits() {
        return driver.foreignSubmits();
    }

    /**
     * Timers that may still fire (virtual time; cancelled ones do not count), or -1 in real time
     * where Pekko's scheduler does not tell.
     */
    public int pendingTimers() {
        return driver.pendingTimers();
    }

    /** Reports progress every million events or every 500 ms of wall time; null removes it. */
    public void setProgressListener(ProgressListener listener) {
        setProgressListener(listener, DEFAULT_PROGRESS_EVENTS, DEFAULT_PROGRESS_WALL);
    }

    /** Reports progress every so many events or so much wall time, whichever comes first. */
    public void setProgressListener(ProgressListener listener, long everyEvents, Duration everyWall) {
        progress = listener == null ? Progress.NONE : new Progress(listener, everyEvents, everyWall.toNanos());
    }

    /** The event trace and its digest. */
    public Trace trace() {
        return Trace.get(system);
    }

    /** Histograms, counters and time series of this simulation. */
    public Metrics metrics() {
        return Metrics.get(system);
    }

    /** The seeded random streams of this simulation. */
    public SimRandom random() {
        return SimRandom.get(system);
    }

    /**
     * Sends a message from outside the simulation; safe from any thread. In virtual time it is
     * handled during the next {@code run*} call.
     */
    public <M> void tell(ActorRef<M> target, M message) {
        target.tell(message);
    }

    /**
     * Asks from outside: the reply completes the stage during a later {@code run*} call. The
     * timeout runs on the simulation's clock.
     */
    public <Q, R> CompletableFuture<R> ask(ActorRef<Q> target, Function<ActorRef<R>, Q> messageFactory,
            Duration timeout) {
        return SimAsk.onCompletingThread(AskPattern.ask(target, messageFactory::apply, timeout, system.scheduler()));
    }

    /** Starts an actor outside the guardian's tree (under {@code /system}), e.g. in tests. */
    public <M> ActorRef<M> spawn(Behavior<M> behavior, String name) {
        return withThreadRandom(() -> system.systemActorOf(behavior, name, Props.empty()));
    }

    /** A new probe actor that records every message with its arrival time. */
    public <M> SimProbe<M> probe(String name) {
        return new SimProbe<>(this, name);
    }

    /**
     * Terminates the actor system (running the simulation until it has stopped) and closes the
     * trace file. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        system.terminate();
        if (config.isVirtual()) {
            long end = SimLoop.saturatedAdd(nowNanos(), CLOSE_LIMIT.toNanos());
            try {
                driver.run(end, () -> system.whenTerminated().isCompleted(), false, true, Progress.NONE);
            } catch (HaltedException e) {
                LOG.warn("actor system {} could not stop cleanly: {}", system.name(), e.getMessage());
            }
        }
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("actor system {} did not terminate cleanly: {}", system.name(), e.toString());
        }
        closed = true;
        trace().close();
        if (!config.isVirtual()) {
            CountingExecutorConfigurator.unregister(instance);
        }
    }
}
