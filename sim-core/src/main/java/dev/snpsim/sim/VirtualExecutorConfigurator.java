package dev.snpsim.sim;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * A dispatcher executor ({@code executor = "dev.snpsim.sim.VirtualExecutorConfigurator"}) that
 * queues every task on the simulation's single task queue, to be run by the thread that drives
 * the simulation. Requires the {@link VirtualScheduler}, which owns that queue.
 */
public final class VirtualExecutorConfigurator extends ExecutorServiceConfigurator {

    private final SimLoop loop;

    /** The constructor Pekko calls. */
    public VirtualExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        if (!(prerequisites.scheduler() instanceof VirtualScheduler scheduler)) {
            throw new IllegalStateException("virtual executor needs pekko.scheduler.implementation = "
                    + VirtualScheduler.class.getName() + " (got: " + prerequisites.scheduler().getClass().getName()
                    + ")");
        }
        this.loop = scheduler.loop();
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return () -> new LoopExecutor(loop);
    }

    /** An executor view of the loop; shutting it down does not stop the shared loop. */
    private static final class LoopExecutor extends AbstractExecutorService {
        private final SimLoop loop;
        private volatile boolean shutdown;

        LoopExecutor(SimLoop loop) {
            this.loop = loop;
        }

        @Override
        public void execute(Runnable command) {
            loop.submit(command);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
