package dev.snpsim.bench.suite;

import dev.snpsim.sim.ProgressListener;
import dev.snpsim.sim.offload.Offload;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The one-core floor measured in short slices between stretches of a simulation run, on the
 * simulation's own thread, so that the run and its floor share the machine's conditions.
 *
 * <p>The machines we benchmark on are virtual and shared: the same plain loop ran at 876 and
 * at 1,497 attestations per second a minute apart, in one process with nothing else running.
 * A floor measured before and after a one-minute run can be far from the floor during it.
 * Used as the run's {@link ProgressListener}, this measures the floor for {@code slice} of wall
 * time once every {@code every}: the simulation thread leaves the simulation (between two
 * events; nothing in the model sees it), the offload workers are paused and their tasks in
 * flight finished, and the floor loop runs. The run's own rate is then its verified reports
 * over its wall time less the slices.
 *
 * <p>Waiting for the workers' tasks in flight counts as simulation time, which can only
 * lower the simulation's figure.
 */
public final class PairedFloor implements ProgressListener {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Offload pool;
    private final long everyNanos;
    private final long sliceNanos;
    private final Floor.Worker worker = new Floor.Worker(0);
    private long lastSliceEnd = System.nanoTime();
    private long attestations;
    private long sliceWallNanos;
    private long sliceCpuNanos;
    private long sliceAllocatedBytes;
    private int slices;

    /**
     * @param pool        the workers to pause during a slice
     * @param everyNanos  wall time of simulation between two slices
     * @param sliceNanos  wall time of one slice
     */
    public PairedFloor(Offload pool, long everyNanos, long sliceNanos) {
        if (everyNanos <= 0 || sliceNanos <= 0) {
            throw new IllegalArgumentException("paired floor every " + everyNanos + " ns, slice " + sliceNanos
                    + " ns (expected: both positive)");
        }
        this.pool = pool;
        this.everyNanos = everyNanos;
        this.sliceNanos = sliceNanos;
        worker.loop(50_000_000L); // its keys and the JIT
    }

    @Override
    public void onProgress(long simNanos, long wallNanos, long events) {
        if (System.nanoTime() - lastSliceEnd >= everyNanos) {
            slice();
        }
    }

    /** Measures one slice now. */
    public void slice() {
        try (Offload.Pause paused = pool.pause()) {
            long a0 = allocatedBytes();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            attestations += worker.loop(sliceNanos);
            long t1 = System.nanoTime();
            sliceWallNanos += t1 - t0;
            sliceCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
            sliceAllocatedBytes += allocatedBytes() - a0;
            slices++;
            lastSliceEnd = t1;
        }
    }

    /** Floor attestations per wall and per CPU second over every slice so far. */
    public Floor.Rate rate() {
        if (slices == 0) {
            throw new IllegalStateException("the paired floor has measured no slice");
        }
        return new Floor.Rate(attestations * 1e9 / sliceWallNanos, attestations * 1e9 / Math.max(1, sliceCpuNanos));
    }

    /** How many slices were measured. */
    public int slices() {
        return slices;
    }

    /** Wall seconds spent in slices. */
    public double sliceWallSeconds() {
        return sliceWallNanos / 1e9;
    }

    /** CPU seconds this thread spent in slices. */
    public double sliceCpuSeconds() {
        return sliceCpuNanos / 1e9;
    }

    /** Bytes this thread allocated in slices (0 where the JVM does not count them). */
    public long sliceAllocatedBytes() {
        return sliceAllocatedBytes;
    }

    /** Bytes the floor loop allocated per attestation in the slices so far; NaN where the JVM does not count them. */
    public double allocatedBytesPerAttestation() {
        return allocatedBytes() < 0 || attestations == 0 ? Double.NaN : (double) sliceAllocatedBytes / attestations;
    }

    /**
     * Bytes the calling thread has allocated since it started, or -1 where the JVM does not count
     * them (HotSpot does, through {@code com.sun.management.ThreadMXBean}).
     */
    public static long allocatedBytes() {
        if (THREADS instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
                && t.isThreadAllocatedMemoryEnabled()) {
            return t.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

}
