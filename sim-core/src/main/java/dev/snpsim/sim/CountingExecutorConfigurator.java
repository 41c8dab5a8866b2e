package dev.snpsim.sim;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ForkJoinExecutorConfigurator;

/**
 * Real-time mode's dispatcher executor: Pekko's own fork-join executor, wrapped only to count the
 * tasks queued or running and the tasks finished, so a real-time run can report events and tell
 * when the system has gone quiet. Set up by {@link SimConfig#realtime(long)}.
 */
public final class CountingExecutorConfigurator extends ExecutorServiceConfigurator {

    /** Task counts per simulation instance ({@code snpsim.sim.instance}). */
    static final class Counts {
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
    }

    private static final ConcurrentHashMap<String, Counts> COUNTS = new ConcurrentHashMap<>();

    static Counts register(String instance) {
        return COUNTS.computeIfAbsent(instance, k -> new Counts());
    }

    static void unregister(String instance) {
        COUNTS.remove(instance);
    }

    private final ForkJoinExecutorConfigurator delegate;
    private final Counts counts;

    /** The constructor Pekko calls. */
    public CountingExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        this.delegate = new ForkJoinExecutorConfigurator(config.getConfig("fork-join-executor"), prerequisites);
        this.counts = register(prerequisites.settings().config().getString("snpsim.sim.instance"));
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        ExecutorServiceFactory inner = delegate.createExecutorServiceFactory(id, threadFactory);
        return () -> new Counting(inner.createExecutorService(), counts);
    }

    private static final class Counting extends AbstractExecutorService {
        private final ExecutorService inner;
        private final Counts counts;

        Counting(ExecutorService inner, Counts counts) {
            this.inner = inner;
            this.counts = counts;
        }

        @Override
        public void execute(Runnable command) {
            counts.inFlight.incrementAndGet();
            try {
                inner.execute(() -> {
                    try {
                        command.run();
                    } finally {
                        counts.finished.incrementAndGet();
                        counts.inFlight.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                counts.inFlight.decrementAndGet();
                throw e;
            }
        }

        @Override
        public void shutdown() {
            inner.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return inner.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return inner.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return inner.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return inner.awaitTermination(timeout, unit);
        }
    }
}
