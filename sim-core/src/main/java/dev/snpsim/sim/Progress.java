package dev.snpsim.sim;

/** Decides when to call a {@link ProgressListener}: every N events or every M ns of wall time. */
final class Progress {

    static final Progress NONE = new Progress(null, Long.MAX_VALUE, Long.MAX_VALUE);

    private final ProgressListener listener;
    private final long everyEvents;
    private final long everyWallNanos;
    private final long wallStart = System.nanoTime();
    private long nextEvents;
    private long nextWall;

    Progress(ProgressListener listener, long everyEvents, long everyWallNanos) {
        this.listener = listener;
        this.everyEvents = everyEvents;
        this.everyWallNanos = everyWallNanos;
        this.nextEvents = everyEvents;
        this.nextWall = wallStart + everyWallNanos;
    }

    /** Called by the driver every 1024 events. */
    void maybeReport(long simNanos, long events) {
        if (listener == null) {
            return;
        }
        long wall = System.nanoTime();
        if (events >= nextEvents || wall - nextWall >= 0) {
            nextEvents = events + everyEvents;
            nextWall = wall + everyWallNanos;
            listener.onProgress(simNanos, wall - wallStart, events);
        }
    }

    /** Called at the end of every run. */
    void report(long simNanos, long events) {
        if (listener != null) {
            listener.onProgress(simNanos, System.nanoTime() - wallStart, events);
        }
    }
}
