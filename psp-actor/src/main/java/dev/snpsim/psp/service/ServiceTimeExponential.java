package dev.snpsim.psp.service;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponentially distributed service time with the given mean (memoryless: an M/M/1 server). */
public record ServiceTimeExponential(Duration mean) implements ServiceTime {
    public ServiceTimeExponential {
        if (mean == null || mean.isNegative() || mean.isZero()) {
            throw new IllegalArgumentException("exponential mean is " + mean + " (expected: > 0)");
        }
    }

    @Override
    public long sampleNanos(RandomGenerator random) {
        return Math.round(-Math.log(1.0 - random.nextDouble()) * mean.toNanos());
    }

    @Override
    public double meanNanos() {
        return mean.toNanos();
    }
}
