package dev.snpsim.scenario.run;

import dev.snpsim.psp.service.ServiceTime;
import dev.snpsim.psp.service.ServiceTimeExponential;
import dev.snpsim.psp.service.ServiceTimeFixed;
import dev.snpsim.psp.service.ServiceTimeLogNormal;
import dev.snpsim.psp.service.ServiceTimeUniform;
import dev.snpsim.scenario.Durations;
import dev.snpsim.scenario.ScenarioException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service-time distributions as scenario files write them: {@code 8ms} (fixed),
 * {@code exp(8ms)} (exponential with that mean), {@code uniform(5ms,15ms)},
 * {@code lognormal(8ms,0.3)} (median and sigma).
 */
final class ServiceTimeParser {
    private static final Pattern CALL = Pattern.compile("(exp|uniform|lognormal)\\((.*)\\)");

    private ServiceTimeParser() {
    }

    static ServiceTime parse(String where, String text) {
        String t = text.trim();
        try {
            Matcher m = CALL.matcher(t);
            if (!m.matches()) {
                return new ServiceTimeFixed(Durations.parse(t));
            }
            String[] args = m.group(2).split(",");
            return switch (m.group(1)) {
                case "exp" -> {
                    need(args, 1);
                    yield new ServiceTimeExponential(Durations.parse(args[0]));
                }
                case "uniform" -> {
                    need(args, 2);
                    yield new ServiceTimeUniform(Durations.parse(args[0]), Durations.parse(args[1]));
                }
                default -> {
                    need(args, 2);
                    yield new ServiceTimeLogNormal(Durations.parse(args[0]), Double.parseDouble(args[1].trim()));
                }
            };
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(where + " is '" + text + "': " + e.getMessage()
                    + " (expected e.g. 8ms, exp(8ms), uniform(5ms,15ms), lognormal(8ms,0.3))");
        }
    }

    private static void need(String[] args, int n) {
        if (args.length != n) {
            throw new IllegalArgumentException("takes " + n + " argument" + (n == 1 ? "" : "s"));
        }
    }
}
