package dev.snpsim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * An operation the management tool runs, once at {@code at} or repeatedly {@code every}.
 *
 * @param action rotate-vlek (load the next VLEK and serve its chain), firmware-update (raise CURRENT_TCB's
 *               SNP SVN by one and commit, so the VCEK in force changes; the tool fetches the new VCEK
 *               from the KDS), set-config (SNP_SET_CONFIG pinning the reported TCB to the TCB the host
 *               booted with). Each runs under the exclusive blob lock for its whole duration.
 */
public record ManagementSpec(@JsonProperty(required = true) String action, Duration at, Duration every) {
    public ManagementSpec {
        if (action == null || !action.matches("rotate-vlek|firmware-update|set-config")) {
            throw new IllegalArgumentException("action is '" + action
                    + "' (expected: rotate-vlek, firmware-update or set-config)");
        }
        at = at == null ? Duration.ZERO : at;
        if (at.isNegative() || (every != null && (every.isNegative() || every.isZero()))) {
            throw new IllegalArgumentException("at must not be negative and every must be positive");
        }
    }
}
