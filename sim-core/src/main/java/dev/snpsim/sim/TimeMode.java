package dev.snpsim.sim;

/** Where a simulation's time comes from. */
public enum TimeMode {
    /** Simulated nanoseconds on one thread: fast and deterministic (the default). */
    VIRTUAL,
    /** Wall-clock time on Pekko's default dispatcher and scheduler: for load tests and real KVM. */
    REALTIME
}
