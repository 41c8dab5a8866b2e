package dev.snpsim.psp.service;

import java.util.random.RandomGenerator;

/** A distribution of service times in nanoseconds. Implementations are immutable values. */
public interface ServiceTime {
    /** One service time, ns, at least 0, drawn from {@code random} (never from anything else). */
    long sampleNanos(RandomGenerator random);

    /** The distribution's mean, ns (used to weigh commands, e.g. by deficit round robin). */
    double meanNanos();
}
