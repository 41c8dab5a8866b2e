package dev.snpsim.guest.workload;

import java.time.Duration;

/** How a guest's requests arrive. */
public sealed interface WorkloadSpec permits WorkloadSpec.Open, WorkloadSpec.Closed {

    /** Requests to send before stopping (0: until stopped). */
    int maxRequests();

    /**
     * Open: Poisson arrivals at {@code ratePerSecond} per guest, independent of answers (requests
     * queue in the driver); latency counts from each arrival, so queueing is not hidden.
     */
    record Open(double ratePerSecond, int maxRequests) implements WorkloadSpec {
        public Open {
            if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("open workload rate is " + ratePerSecond + "/s (expected: > 0)");
            }
            if (maxRequests < 0) {
                throw new IllegalArgumentException("max requests is " + maxRequests + " (expected: >= 0)");
            }
        }
    }

    /** Closed: {@code agents} loops per guest, each sending, waiting for the answer, then thinking. */
    record Closed(int agents, Duration thinkTime, int maxRequests) implements WorkloadSpec {
        public Closed {
            if (agents < 1) {
                throw new IllegalArgumentException("closed workload agents is " + agents + " (expected: >= 1)");
            }
            if (thinkTime.isNegative()) {
                throw new IllegalArgumentException("think time is " + thinkTime + " (expected: >= 0)");
            }
            if (maxRequests < 0) {
                throw new IllegalArgumentException("max requests is " + maxRequests + " (expected: >= 0)");
            }
        }
    }
}
