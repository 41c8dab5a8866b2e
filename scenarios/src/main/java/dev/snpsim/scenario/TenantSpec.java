package dev.snpsim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A group of identical guests.
 *
 * @param name       the tenant's name in results
 * @param guests     how many guests
 * @param vcpus      vCPUs per guest
 * @param signingKey default (KEY_SEL 0: the VLEK when one is loaded, else the VCEK), vcek or vlek
 * @param vmpl       the VMPL the workload asks reports for
 * @param launchAt   when the guests boot (default at 0; a boot during load measures launch latency)
 * @param workload   what the guests ask for, and how often
 */
public record TenantSpec(@JsonProperty(required = true) String name, Integer guests, Integer vcpus, String signingKey,
                         Integer vmpl, Duration launchAt, WorkloadSpec workload) {
    public TenantSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tenant name must not be empty");
        }
        guests = guests == null ? 1 : guests;
        if (guests < 1 || guests > 1_000_000) {
            throw new IllegalArgumentException("guests is " + guests + " (expected: 1 to 1000000)");
        }
        vcpus = vcpus == null ? 1 : vcpus;
        if (vcpus < 1 || vcpus > 512) {
            throw new IllegalArgumentException("vcpus is " + vcpus + " (expected: 1 to 512)");
        }
        signingKey = signingKey == null ? "default" : signingKey;
        if (!signingKey.matches("default|vcek|vlek")) {
            throw new IllegalArgumentException("signingKey is '" + signingKey + "' (expected: default, vcek or vlek)");
        }
        vmpl = vmpl == null ? 0 : vmpl;
        if (vmpl < 0 || vmpl > 3) {
            throw new IllegalArgumentException("vmpl is " + vmpl + " (expected: 0 to 3)");
        }
        launchAt = launchAt == null ? Duration.ZERO : launchAt;
        workload = workload == null ? WorkloadSpec.defaults() : workload;
    }
}
