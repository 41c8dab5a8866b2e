package dev.snpsim.sim;

import java.util.function.BooleanSupplier;

/** Drives virtual time: the loop itself always stops when the system is idle. */
final class VirtualDriver implements Driver {

    private final SimLoop loop;

    VirtualDriver(SimLoop loop) {
        this.loop = loop;
    }

    @Override
    public RunStats run(long endNanos, BooleanSupplier stop, boolean advanceToEnd, boolean untilIdle,
            Progress progress) {
        return loop.run(endNanos, stop, advanceToEnd, progress);
    }

    @Override
    public long now() {
        return loop.now();
    }

    @Override
    public long events() {
        return loop.events();
    }

    @Override
    public long taskFailures() {
        return loop.failures();
    }

    @Override
    public long foreignSubmits() {
        return loop.foreignSubmits();
    }

    @Override
    public int pendingTimers() {
        return loop.liveTimers();
    }
}
