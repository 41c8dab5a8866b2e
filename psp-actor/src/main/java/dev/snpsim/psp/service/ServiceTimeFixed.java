package dev.snpsim.psp.service;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Always the same service time; draws nothing from the stream. */
public record ServiceTimeFixed(Duration time) implements ServiceTime {
    public ServiceTimeFixed {
        if (time == null || time.isNegative()) {
            throw new IllegalArgumentException("fixed service time is " + time + " (expected: >= 0)");
        }
    }

    public static ServiceTimeFixed ofMillis(double ms) {
        return new ServiceTimeFixed(Duration.ofNanos(Math.round(ms * 1e6)));
    }

    @Override
    public long sampleNanos(RandomGenerator random) {
        return time.toNanos();
    }

    @Override
    public double meanNanos() {
        return time.toNanos();
    }
}
