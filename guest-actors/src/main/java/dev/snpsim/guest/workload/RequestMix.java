package dev.snpsim.guest.workload;

import java.util.random.RandomGenerator;

/** Relative weights of plain reports, extended reports and derived keys in a workload. */
public record RequestMix(double report, double extendedReport, double derivedKey) {
    public RequestMix {
        if (report < 0 || extendedReport < 0 || derivedKey < 0 || !(report + extendedReport + derivedKey > 0)) {
            throw new IllegalArgumentException("request mix " + report + "/" + extendedReport + "/" + derivedKey
                    + " (expected: non-negative weights, not all zero)");
        }
    }

    /** Only extended reports (what attestation agents such as snpguest usually ask for). */
    public static RequestMix extendedOnly() {
        return new RequestMix(0, 1, 0);
    }

    /** The kind of the next request, drawn from {@code rnd}. */
    public Kind draw(RandomGenerator rnd) {
        double x = rnd.nextDouble() * (report + extendedReport + derivedKey);
        if (x < extendedReport) {
            return Kind.EXTENDED_REPORT;
        }
        return x < extendedReport + report ? Kind.REPORT : Kind.DERIVED_KEY;
    }

    /** A request kind. */
    public enum Kind { REPORT, EXTENDED_REPORT, DERIVED_KEY }
}
