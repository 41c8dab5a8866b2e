package dev.snpsim.scenario.run;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.guest.workload.RequestMix;
import dev.snpsim.guest.workload.TenantConfig;
import dev.snpsim.guest.workload.WorkloadSpec;
import dev.snpsim.scenario.HostDefaults;
import dev.snpsim.scenario.ManagementSpec;
import dev.snpsim.scenario.ScenarioException;
import dev.snpsim.scenario.ScenarioSpec;
import dev.snpsim.scenario.TenantSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario translated into the configurations of the actor modules: what the guardian
 * needs to build the host, launch the tenants and run the management schedule.
 */
record Plan(Product product, TcbVersion initialTcb, List<TenantPlan> tenants, List<ManagementSpec> management,
            Duration window, Duration warmup) {

    /** One tenant: its configuration for the guest module, and how it behaves. */
    record TenantPlan(TenantSpec spec, TenantConfig config, Kind kind) {
        String vmId(int i) {
            return spec.name() + "-" + i;
        }
    }

    /** How a tenant's guests behave once launched. */
    enum Kind { WORKLOAD, FLOOD, IDLE }

    static Plan of(ScenarioSpec spec) {
        Product product = Product.parse(spec.host().product());
        List<TenantPlan> tenants = new ArrayList<>();
        for (TenantSpec t : spec.tenants()) {
            var w = t.workload();
            Kind kind = switch (w.type()) {
                case "flood" -> Kind.FLOOD;
                case "idle" -> Kind.IDLE;
                default -> Kind.WORKLOAD;
            };
            WorkloadSpec ws = w.type().equals("closed")
                    ? new WorkloadSpec.Closed(1, w.think(), 0)
                    : new WorkloadSpec.Open(w.rate(), 0);
            RequestMix mix = switch (w.request()) {
                case "report" -> new RequestMix(1, 0, 0);
                case "key" -> new RequestMix(0, 0, 1);
                case "mixed" -> new RequestMix(1, 1, 1);
                default -> RequestMix.extendedOnly();
            };
            TenantConfig.SigningKeyPreference key = switch (t.signingKey()) {
                case "vcek" -> TenantConfig.SigningKeyPreference.VCEK;
                case "vlek" -> TenantConfig.SigningKeyPreference.VLEK;
                default -> TenantConfig.SigningKeyPreference.DEFAULT;
            };
            if (!t.signingKey().equals("default") && !t.signingKey().equals(spec.host().signingKey())) {
                throw new ScenarioException("tenant " + t.name() + " asks for " + t.signingKey()
                        + "-signed reports but the host's blob serves the " + spec.host().signingKey()
                        + " chain (host.signingKey): every report would come with a certificate that cannot match");
            }
            try {
                tenants.add(new TenantPlan(t, new TenantConfig(t.name(), t.guests(), t.vcpus(), ws, mix, key, t.vmpl(),
                        Math.max(1, w.certPages())), kind));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException("tenant " + t.name() + ": " + e.getMessage(), e);
            }
        }
        return new Plan(product, HostDefaults.shippingTcb(product), tenants, spec.management(), spec.window(), spec.warmup());
    }
}
