package dev.snpsim.psp.service;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Uniform service time in [min, max] (e.g. 5-15 ms per guest request, SPEC.md section 11). */
public record ServiceTimeUniform(Duration min, Duration max) implements ServiceTime {
    public ServiceTimeUniform {
        if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("uniform service time [" + min + ", " + max
                    + "] (expected: 0 <= min <= max)");
        }
    }

    @Override
    public long sampleNanos(RandomGenerator random) {
        long lo = min.toNanos();
        long hi = max.toNanos();
        return lo == hi ? lo : random.nextLong(lo, hi + 1);
    }

    @Override
    public double meanNanos() {
        return (min.toNanos() + (double) max.toNanos()) / 2;
    }
}
