package dev.snpsim.psp.service;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Log-normal service time: {@code median * exp(sigma * N(0,1))}, a right-skewed shape typical of
 * firmware commands (mostly near the median, occasionally much slower).
 */
public record ServiceTimeLogNormal(Duration median, double sigma) implements ServiceTime {
    public ServiceTimeLogNormal {
        if (median == null || median.isNegative() || median.isZero() || !(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("log-normal median " + median + ", sigma " + sigma
                    + " (expected: median > 0, sigma >= 0)");
        }
    }

    @Override
    public long sampleNanos(RandomGenerator random) {
        return Math.round(median.toNanos() * Math.exp(sigma * random.nextGaussian()));
    }

    @Override
    public double meanNanos() {
        return median.toNanos() * Math.exp(sigma * sigma / 2);
    }
}
