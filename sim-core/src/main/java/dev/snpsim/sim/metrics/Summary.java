package dev.snpsim.sim.metrics;

/**
 * Count, sum, minimum and maximum of the values recorded: a fixed 4 longs whatever the values'
 * range, for figures kept per entity (one per guest at 10,000 guests) where a histogram's
 * buckets would cost too much. Safe from any thread.
 *
 * <p>The sum saturates at {@link Long#MAX_VALUE} (292 years of nanoseconds) rather than wrap.
 */
public final class Summary {

    /**
     * What a summary held at one instant.
     *
     * @param count values recorded
     * @param sum their sum (saturated)
     * @param min the smallest, 0 if none
     * @param max the largest, 0 if none
     */
    public record Snapshot(long count, long sum, long min, long max) {
        /** Mean of the values, or NaN if none was recorded. */
        public double mean() {
            return count == 0 ? Double.NaN : (double) sum / count;
        }
    }

    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Records one value. */
    public synchronized void record(long value) {
        count++;
        long s = sum + value;
        // overflow only when both operands have the sign opposite to the result
        sum = ((sum ^ s) & (value ^ s)) < 0 ? (value > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : s;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
    }

    /** Values recorded. */
    public synchronized long count() {
        return count;
    }

    /** Sum of the values recorded (saturated). */
    public synchronized long sum() {
        return sum;
    }

    /** The smallest value recorded, 0 if none. */
    public synchronized long min() {
        return count == 0 ? 0 : min;
    }

    /** The largest value recorded, 0 if none. */
    public synchronized long max() {
        return count == 0 ? 0 : max;
    }

    /** Mean of the values recorded, or NaN if none. */
    public synchronized double mean() {
        return snapshot().mean();
    }

    /** count, sum, min and max read together. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(count, sum, min(), max());
    }

    /** Forgets every value (as a warm-up's end does). */
    public synchronized void reset() {
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        Snapshot s = snapshot();
        return "count=" + s.count() + " sum=" + s.sum() + " min=" + s.min() + " max=" + s.max();
    }
}
