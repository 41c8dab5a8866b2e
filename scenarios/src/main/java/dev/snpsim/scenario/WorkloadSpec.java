package dev.snpsim.scenario;

import java.time.Duration;

/**
 * What a tenant's guests ask for.
 *
 * @param type       open (Poisson arrivals at {@code rate} per guest), closed (think time between
 *                   requests), flood (every vCPU back to back) or idle
 * @param rate       open: requests per second per guest
 * @param think      closed: mean think time between a reply and the next request
 * @param request    report, extended, key or mixed
 * @param certPages  extended: pages of the certificate buffer the guest offers first
 * @param ignoreBusy flood: resend at once on BUSY instead of the driver's 2 s sleep (a hostile driver)
 * @param exitCost   flood: guest time one VMGEXIT round trip costs before the vCPU can send again
 *                   (default 100us); with ignoreBusy it sets how hard the attacker hammers the host
 */
public record WorkloadSpec(String type, Double rate, Duration think, String request, Integer certPages,
                           Boolean ignoreBusy, Duration exitCost) {
    public WorkloadSpec {
        type = type == null ? "open" : type;
        if (!type.matches("open|closed|flood|idle")) {
            throw new IllegalArgumentException("workload type is '" + type + "' (expected: open, closed, flood or idle)");
        }
        rate = rate == null ? 1.0 / 30 : rate;
        if (!(rate > 0) || rate > 1e6) {
            throw new IllegalArgumentException("rate is " + rate + " (expected: a positive number of requests per second)");
        }
        think = think == null ? Duration.ofSeconds(30) : think;
        if (think.isNegative()) {
            throw new IllegalArgumentException("think must not be negative");
        }
        request = request == null ? "extended" : request;
        if (!request.matches("report|extended|key|mixed")) {
            throw new IllegalArgumentException("request is '" + request + "' (expected: report, extended, key or mixed)");
        }
        certPages = certPages == null ? 4 : certPages;
        if (certPages < 0 || certPages > 512) {
            throw new IllegalArgumentException("certPages is " + certPages + " (expected: 0 to 512)");
        }
        ignoreBusy = ignoreBusy != null && ignoreBusy;
        exitCost = exitCost == null ? Duration.ofNanos(100_000) : exitCost;
        if (exitCost.isNegative() || exitCost.isZero()) {
            throw new IllegalArgumentException("exitCost must be positive");
        }
    }

    static WorkloadSpec defaults() {
        return new WorkloadSpec(null, null, null, null, null, null, null);
    }
}
