package dev.snpsim.sim.offload;

import com.typesafe.config.Config;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A small pool of daemon workers for pure computations (see the package documentation).
 *
 * <p>{@link #submit} queues a task: urgent tasks (a value the simulation will need within a few
 * events, such as the signature of the command in service) go to the head of the queue, deferred
 * ones (checks whose verdicts may lag) to the tail. {@link Task#join} returns the value: a task no
 * worker has claimed yet runs on the joining thread; while a worker is still computing it, the
 * joining thread helps with other queued tasks instead of idling, so the simulation thread and the
 * workers share the load. With no workers every task runs on its joiner, at the join.
 */
public final class Offload {
    /** The actor-system setting that picks the pool. */
    public static final String SETTING = "snpsim.sim.offload";
    private static final Offload INLINE = new Offload(0);
    private static volatile Offload shared;

    private final int workers;
    private final LinkedBlockingDeque<Task<?>> queue = new LinkedBlockingDeque<>();
    private final AtomicLong byWorkers = new AtomicLong();
    private final AtomicLong byJoiners = new AtomicLong();
    private final AtomicLong helped = new AtomicLong();
    private final Object gate = new Object();
    private int pauses;   // guarded by gate: open pause handles
    private int running;  // guarded by gate: tasks a worker is computing

    private Offload(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("offload workers is " + workers + " (expected: >= 0)");
        }
        this.workers = workers;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, "snpsim-offload-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** No workers: every task runs on the thread that joins it. */
    public static Offload inline() {
        return INLINE;
    }

    /** A pool with {@code workers} threads of its own (tests and benchmarks; threads live as long as the JVM). */
    public static Offload withWorkers(int workers) {
        return workers == 0 ? INLINE : new Offload(workers);
    }

    /**
     * The JVM's shared pool: {@code -Dsnpsim.workers=N} workers, by default one fewer than the
     * available processors (so none on one core).
     */
    public static Offload shared() {
        Offload s = shared;
        if (s == null) {
            synchronized (Offload.class) {
                s = shared;
                if (s == null) {
                    int n = Integer.getInteger("snpsim.workers",
                            Math.max(0, Runtime.getRuntime().availableProcessors() - 1));
                    s = withWorkers(n);
                    shared = s;
                }
            }
        }
        return s;
    }

    /**
     * The pool of this actor system: {@link #shared()}, or {@link #inline()} when its setting
     * {@code snpsim.sim.offload} is {@code inline} (see {@code SimConfig#withInlineOffload()}).
     */
    public static Offload get(ActorSystem<?> system) {
        Config c = system.settings().config();
        String mode = c.hasPath(SETTING) ? c.getString(SETTING) : "shared";
        return switch (mode) {
            case "shared" -> shared();
            case "inline" -> inline();
            default -> throw new IllegalArgumentException(SETTING + " is \"" + mode + "\" (expected: shared or inline)");
        };
    }

    /** The number of worker threads. */
    public int workers() {
        return workers;
    }

    /** Tasks computed by a worker, by the thread that joined them, and by a joiner helping while it waited. */
    public record Stats(long byWorkers, long byJoiners, long helped) {
    }

    /** Counts so far (for benchmarks; they depend on timing, so never feed them into a model). */
    public Stats stats() {
        return new Stats(byWorkers.get(), byJoiners.get(), helped.get());
    }

    /**
     * Queues {@code work}; {@code urgent} puts it ahead of every deferred task.
     *
     * @param work a pure function (see the package documentation)
     */
    public <T> Task<T> submit(Supplier<T> work, boolean urgent) {
        Task<T> t = new Task<>(this, work);
        if (workers > 0) {
            if (urgent) {
                queue.offerFirst(t);
            } else {
                queue.offerLast(t);
            }
        }
        return t;
    }

    /**
     * Stops the workers from starting tasks until the returned handle is closed, and waits for
     * the tasks they are computing to finish, so the caller has the machine to itself (the
     * benchmark measures its one-core floor in such pauses, between stretches of a simulation).
     * Queued tasks stay queued; a join while paused computes its task on the joining thread.
     * Pauses nest: the workers resume when every handle is closed. Call it from outside the pool
     * (a task that paused its own pool would wait for itself).
     */
    public Pause pause() {
        synchronized (gate) {
            pauses++;
            boolean interrupted = false;
            while (running > 0) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new Pause();
    }

    /** An open pause of the workers; {@link #close} resumes them (once, however often called). */
    public final class Pause implements AutoCloseable {
        private boolean closed;

        private Pause() {
        }

        @Override
        public void close() {
            synchronized (gate) {
                if (!closed) {
                    closed = true;
                    pauses--;
                    gate.notifyAll();
                }
            }
        }
    }

    private void work() {
        while (true) {
            Task<?> t;
            try {
                synchronized (gate) {
                    while (pauses > 0) {
                        gate.wait();
                    }
                }
                t = queue.takeFirst();
                synchronized (gate) {
                    if (pauses > 0) { // paused while this worker waited for a task: leave it queued
                        queue.offerFirst(t);
                        continue;
                    }
                    running++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                if (t.runIfNew()) {
                    byWorkers.incrementAndGet();
                }
            } finally {
                synchronized (gate) {
                    running--;
                    gate.notifyAll();
                }
            }
        }
    }

    /** Runs one queued task on the calling thread; false when none was waiting. */
    private boolean helpOnce() {
        Task<?> t;
        while ((t = queue.pollFirst()) != null) {
            if (t.runIfNew()) {
                helped.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    /** One computation; its value is read with {@link #join}. */
    public static final class Task<T> {
        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int CANCELLED = 3;

        private final Offload pool;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private final CountDownLatch done = new CountDownLatch(1);
        private Supplier<T> work;
        private T value;
        private RuntimeException failure;

        private Task(Offload pool, Supplier<T> work) {
            this.pool = pool;
            this.work = work;
        }

        private boolean runIfNew() {
            if (!state.compareAndSet(NEW, RUNNING)) {
                return false;
            }
            try {
                value = work.get();
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("offloaded task failed: " + e, e);
            } finally {
                work = null;
                state.set(DONE);
                done.countDown();
            }
            return true;
        }

        /**
         * The value, computing it here if no worker has started it. A failure of the work is
         * thrown here, on the joining thread, as it would have been had the work run inline.
         */
        public T join() {
            if (runIfNew()) {
                pool.byJoiners.incrementAndGet();
            }
            while (done.getCount() > 0) {
                if (!pool.helpOnce()) {
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while joining an offloaded task", e);
                    }
                }
            }
            if (state.get() == CANCELLED) {
                throw new IllegalStateException("joined a cancelled offloaded task");
            }
            if (failure != null) {
                throw failure;
            }
            return value;
        }

        /** Drops the task if no thread has started it (its value will not be needed). */
        public void cancel() {
            if (state.compareAndSet(NEW, CANCELLED)) {
                work = null;
                done.countDown();
            }
        }
    }
}
