package dev.snpsim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A scenario file, bound strictly: unknown keys, wrong types and impossible values are
 * rejected with the file, line and column. {@code ${name}} anywhere in the file stands for
 * a value of {@code parameters}, which {@code --set name=value} and sweeps change.
 *
 * @param name        the scenario's name (results and the output directory carry it)
 * @param description one line for {@code snpsim list} and the report
 * @param seed        default seed (the CLI's --seed wins)
 * @param duration    simulated time to run
 * @param mode        virtual (default) or realtime
 * @param parameters  named values the rest of the file refers to as ${name}
 * @param host        the simulated host
 * @param tenants     groups of guests with one workload each
 * @param management  operations the management tool runs during the scenario
 * @param sweep       parameter name -> values: every combination is one point of the run
 * @param seeds       run every point once per seed (default: just the seed)
 * @param thresholds  pass conditions, e.g. {@code totals.staleCertificates == 0}
 * @param window      width of the time-series windows (default 1s)
 * @param warmup      figures cover [warmup, duration]: histograms restart and counters are
 *                    taken from this time on (default 0: the whole run, boot included)
 * @param baseline    parameter values of a reference point run first (e.g. {@code attack: idle}); thresholds
 *                    refer to its figures as {@code baseline.<path>} and the report compares every point with it
 * @param nativeBackend real vCPUs on /dev/kvm instead of simulated guests (key {@code native});
 *                    then {@code duration} is the most the run may take and tenants are not used
 */
public record ScenarioSpec(
        @JsonProperty(required = true) String name,
        String description,
        Long seed,
        @JsonProperty(required = true) Duration duration,
        String mode,
        Map<String, Object> parameters,
        HostSpec host,
        List<TenantSpec> tenants,
        List<ManagementSpec> management,
        Map<String, List<Object>> sweep,
        List<Long> seeds,
        List<String> thresholds,
        Duration window,
        Duration warmup,
        Map<String, Object> baseline,
        @JsonProperty("native") NativeSpec nativeBackend) {

    public ScenarioSpec {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("name '" + name + "' must be lowercase letters, digits and '-'");
        }
        description = description == null ? "" : description;
        seed = seed == null ? 1L : seed;
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        mode = mode == null ? "virtual" : mode;
        if (!mode.equals("virtual") && !mode.equals("realtime")) {
            throw new IllegalArgumentException("mode is '" + mode + "' (expected: virtual or realtime)");
        }
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        host = host == null ? HostSpec.defaults() : host;
        if ((tenants == null || tenants.isEmpty()) && nativeBackend == null) {
            throw new IllegalArgumentException("tenants must list at least one tenant");
        }
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        long distinct = tenants.stream().map(TenantSpec::name).distinct().count();
        if (distinct != tenants.size()) {
            throw new IllegalArgumentException("tenant names must be distinct");
        }
        management = management == null ? List.of() : List.copyOf(management);
        sweep = sweep == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sweep));
        for (var e : sweep.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("sweep of '" + e.getKey() + "' lists no values");
            }
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        baseline = baseline == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(baseline));
        thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
        window = window == null ? Duration.ofSeconds(1) : window;
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        warmup = warmup == null ? Duration.ZERO : warmup;
        if (warmup.isNegative() || warmup.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("warmup must be at least 0 and shorter than duration");
        }
    }
}
