package dev.snpsim.host.kvm;

import java.time.Duration;

/**
 * How a VMM treats the certificate blob's lock (SPEC.md section 4).
 *
 * @param locking  take a shared OFD lock around read and signing; false reproduces the race
 * @param lockWait zero: {@code F_OFD_SETLK} (never waits); positive: wait at most this long
 *                 (QEMU's {@code certs-timeout}, 100 ms by default), then answer EAGAIN
 */
public record VmmConfig(boolean locking, Duration lockWait) {
    /** QEMU's proposed {@code certs-timeout}. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMillis(100);
    public static final VmmConfig DEFAULT = new VmmConfig(true, DEFAULT_LOCK_WAIT);

    public VmmConfig {
        if (lockWait == null || lockWait.isNegative()) {
            throw new IllegalArgumentException("vmm lock wait is " + lockWait + " (expected: zero or positive)");
        }
    }

    public VmmConfig withLocking(boolean on) {
        return new VmmConfig(on, lockWait);
    }

    public VmmConfig withLockWait(Duration wait) {
        return new VmmConfig(locking, wait);
    }
}
