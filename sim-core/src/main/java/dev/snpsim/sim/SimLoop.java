package dev.snpsim.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of virtual time: the task queue every actor of a simulated system runs from, the
 * timer queue ordered by (due, sequence), the clock, and the driver loop.
 *
 * <p>Tasks may be submitted from any thread; they run only on the thread that is currently
 * inside {@link #run}. The driver runs tasks until none is left, then fires the earliest timer
 * (ties in scheduling order), sets the clock to its due time, runs tasks again, and so on.
 * Timers are fired one at a time so that a timer cancelled by the work of an earlier timer due
 * at the same instant never fires.
 *
 * <p>A task or timer that throws an exception is counted and logged and the run goes on; one that
 * throws a {@link VirtualMachineError} (out of heap, stack overflow) halts the run at once: the
 * tasks not yet run stay queued and {@link #run} throws {@link Simulation.HaltedException}.
 */
final class SimLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SimLoop.class);
    private static final int PURGE_THRESHOLD = 4096;

    private final Object lock = new Object();
    /** guarded by lock: tasks waiting to run */
    private ArrayDeque<Runnable> tasks = new ArrayDeque<>(1024);
    /** driver only: the batch being run (swapped with {@link #tasks}) */
    private ArrayDeque<Runnable> batch = new ArrayDeque<>(1024);
    /** guarded by lock */
    private final TimerHeap timers = new TimerHeap();
    /** guarded by lock: timers in the queue that may still fire */
    private int liveTimers;
    /** guarded by lock: cancelled timers still sitting in the queue */
    private int cancelledInQueue;
    /** guarded by lock */
    private long nextSequence;
    /** guarded by lock */
    private boolean closed;

    private volatile long now;
    private volatile long events;
    private volatile long failures;
    /** driver only: the VirtualMachineError that halted the current run, and the task that threw it */
    private VirtualMachineError fatal;
    private Object fatalTask;
    private final AtomicReference<Thread> driver = new AtomicReference<>();
    private final AtomicLong foreignSubmits = new AtomicLong();
    private static final AtomicBoolean FOREIGN_LOGGED = new AtomicBoolean();
    private volatile ThreadRandomState threadRandom;

    /** The simulation's ThreadLocalRandom state, swapped in while the loop runs. */
    void setThreadRandom(ThreadRandomState state) {
        this.threadRandom = state;
    }

    /** Simulated nanoseconds since the start of the simulation. */
    long now() {
        return now;
    }

    /** Tasks run plus timers fired since the start. */
    long events() {
        return events;
    }

    /** Tasks that threw an exception or error out of the executor (a bug somewhere; logged). */
    long failures() {
        return failures;
    }

    /** Queues a task; any thread. */
    void submit(Runnable task) {
        Thread d = driver.get();
        if (d != null && d != Thread.currentThread()) {
            foreignSubmits.incrementAndGet();
            if (FOREIGN_LOGGED.compareAndSet(false, true)) {
                LOG.warn("task submitted from thread {} while {} drives the simulation: its arrival time depends on "
                        + "wall-clock scheduling (determinism at risk)", Thread.currentThread().getName(), d.getName(),
                        new IllegalStateException("foreign submission"));
            }
        }
        synchronized (lock) {
            tasks.addLast(task);
        }
    }

    /** Tasks submitted from threads other than the one driving the simulation (should stay 0). */
    long foreignSubmits() {
        return foreignSubmits.get();
    }

    /** Timers that may still fire. */
    int liveTimers() {
        synchronized (lock) {
            return liveTimers;
        }
    }

    TimerEntry schedule(long delayNanos, long intervalNanos, TimerEntry.Repeat repeat, Runnable task,
            scala.concurrent.ExecutionContext executor) {
        if (repeat != TimerEntry.Repeat.ONCE && intervalNanos <= 0) {
            throw new IllegalArgumentException("timer interval is " + intervalNanos + " ns (expected: > 0)");
        }
        TimerEntry entry = new TimerEntry(this, new Slot(task), executor, repeat, intervalNanos);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("virtual scheduler is closed: cannot schedule " + task);
            }
            entry.due = saturatedAdd(now, Math.max(0, delayNanos));
            entry.sequence = nextSequence++;
            timers.add(entry);
            liveTimers++;
        }
        return entry;
    }

    boolean cancel(TimerEntry entry) {
        synchronized (lock) {
            if (entry.cancelled || entry.done) {
                return false;
            }
            entry.cancelled = true;
            ((Slot) entry.task).task = null;
            liveTimers--;
            cancelledInQueue++;
            if (cancelledInQueue > PURGE_THRESHOLD && cancelledInQueue > liveTimers) {
                timers.removeIf(t -> t.cancelled);
                cancelledInQueue = 0;
            }
            return true;
        }
    }

    boolean isCancelled(TimerEntry entry) {
        synchronized (lock) {
            return entry.cancelled;
        }
    }

    /**
     * Drives the simulation on the calling thread.
     *
     * @param endNanos run no timer due after this instant ({@code Long.MAX_VALUE}: no end)
     * @param stop checked whenever the system is quiescent at the current instant; true ends the
     *        run (null: never)
     * @param advanceToEnd if no timer is left before endNanos, move the clock to endNanos
     * @param progress told about progress now and then (may be {@link Progress#NONE})
     */
    RunStats run(long endNanos, BooleanSupplier stop, boolean advanceToEnd, Progress progress) {
        acquireDriver();
        ThreadRandomState random = threadRandom;
        boolean entered = random != null && random.enter();
        long wall0 = System.nanoTime();
        long sim0 = now;
        long events0 = events;
        boolean idle = false;
        fatal = null;
        fatalTask = null;
        try {
            while (true) {
                if (!drain(progress)) {
                    break;
                }
                if (stop != null && stop.getAsBoolean()) {
                    break;
                }
                TimerEntry due;
                synchronized (lock) {
                    if (!tasks.isEmpty()) {
                        continue;
                    }
                    due = pollDue(endNanos);
                    if (due == null) {
                        idle = liveTimers == 0;
                        if (advanceToEnd && endNanos != Long.MAX_VALUE && endNanos > now) {
                            now = endNanos;
                        }
                        break;
                    }
                }
                boolean fired = fire(due);
                countEvent(progress);
                if (!fired) {
                    break;
                }
            }
        } finally {
            if (entered) {
                random.exit();
            }
            driver.set(null);
        }
        if (fatal != null) {
            throw halted();
        }
        progress.report(now, events);
        return new RunStats(now - sim0, System.nanoTime() - wall0, events - events0, idle);
    }

    /** The exception that ends a run halted by {@link #fatal}. */
    private Simulation.HaltedException halted() {
        VirtualMachineError e = fatal;
        fatal = null;
        String task = String.valueOf(fatalTask);
        fatalTask = null;
        return new Simulation.HaltedException("simulation halted at " + now + " ns of simulated time: task " + task
                + " threw " + e + " (the model's state is no longer consistent; no figure of this run can be trusted)",
                e);
    }

    /** Under lock: removes and returns the next timer due at or before endNanos, or null. */
    private TimerEntry pollDue(long endNanos) {
        while (true) {
            TimerEntry head = timers.peek();
            if (head == null) {
                return null;
            }
            if (head.cancelled) {
                timers.poll();
                cancelledInQueue--;
                continue;
            }
            if (head.due > endNanos) {
                return null;
            }
            timers.poll();
            now = head.due;
            if (head.repeat == TimerEntry.Repeat.ONCE) {
                head.done = true;
                liveTimers--;
            } else {
                head.due = head.repeat == TimerEntry.Repeat.FIXED_RATE
                        ? saturatedAdd(head.due, head.intervalNanos)
                        : saturatedAdd(now, head.intervalNanos);
                head.sequence = nextSequence++;
                timers.add(head);
            }
            return head;
        }
    }

    /** Fires a timer; false if it threw a VirtualMachineError (the run must halt). */
    private boolean fire(TimerEntry timer) {
        try {
            timer.executor.execute(timer.task);
        } catch (VirtualMachineError e) {
            failures++;
            fatal = e;
            fatalTask = timer;
            return false;
        } catch (RuntimeException | Error e) {
            failures++;
            try {
                timer.executor.reportFailure(e);
            } catch (RuntimeException again) {
                LOG.error("timer {} failed", timer, e);
            }
        }
        return true;
    }

    /** Runs queued tasks until none is left; false if one threw a VirtualMachineError (the run must halt). */
    private boolean drain(Progress progress) {
        while (true) {
            ArrayDeque<Runnable> running;
            synchronized (lock) {
                if (tasks.isEmpty()) {
                    return true;
                }
                running = tasks;
                tasks = batch;
                batch = running;
            }
            Runnable task;
            while ((task = running.pollFirst()) != null) {
                try {
                    task.run();
                } catch (VirtualMachineError e) {
                    // nothing more may run (an out-of-heap run would spin in the collector);
                    // the tasks not run yet stay queued ahead of those submitted meanwhile
                    failures++;
                    fatal = e;
                    fatalTask = task;
                    countEvent(progress);
                    requeue(running);
                    return false;
                } catch (RuntimeException | Error e) {
                    failures++;
                    LOG.error("simulation task {} threw", task, e);
                }
                countEvent(progress);
            }
        }
    }

    /** Puts the rest of a halted batch back in front of the tasks queued while it ran. */
    private void requeue(ArrayDeque<Runnable> rest) {
        synchronized (lock) {
            ArrayDeque<Runnable> later = tasks;
            rest.addAll(later);
            later.clear();
            tasks = rest;
            batch = later;
        }
    }

    private void countEvent(Progress progress) {
        long e = events + 1;
        events = e;
        if ((e & 1023) == 0) {
            progress.maybeReport(now, e);
        }
    }

    private void acquireDriver() {
        Thread me = Thread.currentThread();
        if (!driver.compareAndSet(null, me)) {
            Thread other = driver.get();
            if (other == me) {
                throw new IllegalStateException(
                        "simulation run started from inside the simulation (an actor or task must not drive it)");
            }
            throw new IllegalStateException("simulation is already being run by thread "
                    + (other == null ? "?" : other.getName()));
        }
    }

    /**
     * Closes the timer queue: later schedule calls throw {@link IllegalStateException} (which
     * Pekko's dispatchers expect from a closed scheduler). Returns the timers that had not fired.
     */
    List<TimerEntry> close() {
        synchronized (lock) {
            closed = true;
            List<TimerEntry> left = new ArrayList<>(liveTimers);
            while (!timers.isEmpty()) {
                TimerEntry t = timers.poll();
                if (!t.cancelled) {
                    t.done = true;
                    left.add(t);
                }
            }
            liveTimers = 0;
            cancelledInQueue = 0;
            return left;
        }
    }

    /**
     * A timer's task, let go of when the timer is cancelled: a cancelled timer stays in the queue
     * until it comes due or a purge, and what its task holds (an ask's promise holds its reply)
     * must not stay on the heap that long.
     */
    private static final class Slot implements Runnable {
        private volatile Runnable task;

        Slot(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            Runnable t = task;
            if (t != null) {
                t.run();
            }
        }

        @Override
        public String toString() {
            return String.valueOf(task);
        }
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
