package dev.snpsim.host.ratelimit;

/**
 * The Linux kernel's {@code __ratelimit()} ({@code struct ratelimit_state}), which every
 * KVM guest-request throttling proposal uses: at most {@code burst} admissions per
 * window; a window opens at the first call and lasts {@code intervalNanos}; the first call
 * at or after its end opens the next one, whether or not that call is admitted. Unlike a
 * token bucket, unused admissions are not banked and a window's budget is all available
 * at once. Time is in nanoseconds rather than jiffies: the kernel's test
 * ({@code time_is_before_jiffies(begin + interval)}) opens the next window one tick after
 * the end, which at nanosecond resolution would be one nanosecond and is not modelled.
 */
final class RateWindow {
    private final long intervalNanos;
    private final long burst;
    private long begin;
    private long admitted;
    private boolean started;

    RateWindow(long intervalNanos, long burst) {
        this.intervalNanos = intervalNanos;
        this.burst = burst;
    }

    boolean tryTake(long nowNanos) {
        roll(nowNanos);
        if (admitted < burst) {
            admitted++;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code nowNanos} until a call would be admitted (0 if now). */
    long nanosUntilAdmitted(long nowNanos) {
        roll(nowNanos);
        return admitted < burst ? 0 : begin + intervalNanos - nowNanos;
    }

    private void roll(long nowNanos) {
        if (!started) {
            started = true;
            begin = nowNanos;
            return;
        }
        if (nowNanos < begin) {
            throw new IllegalArgumentException("time went backwards: " + nowNanos + " ns before " + begin + " ns");
        }
        if (nowNanos - begin >= intervalNanos) {
            begin = nowNanos;
            admitted = 0;
        }
    }
}
