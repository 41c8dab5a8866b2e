package dev.snpsim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * An operation the management tool runs, once at {@code at} or repeatedly {@code every}.
 *
 * @param action rotate-vlek, firmware-update (raises CURRENT_TCB), commit, set-config (reported TCB := committed)
 */
public record ManagementSpec(@JsonProperty(required = true) String action, Duration at, Duration every) {
    public ManagementSpec {
        if (action == null || !action.matches("rotate-vlek|firmware-update|commit|set-config")) {
            throw new IllegalArgumentException("action is '" + action
                    + "' (expected: rotate-vlek, firmware-update, commit or set-config)");
        }
        at = at == null ? Duration.ZERO : at;
        if (at.isNegative() || (every != null && (every.isNegative() || every.isZero()))) {
            throw new IllegalArgumentException("at must not be negative and every must be positive");
        }
    }
}
