package dev.snpsim.host.ratelimit;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named host rate-limit settings (SPEC.md section 11). Each call to {@link #parse} returns
 * a fresh limiter with no history.
 *
 * <table>
 * <caption>presets</caption>
 * <tr><th>name</th><th>limiter</th><th>origin</th></tr>
 * <tr><td>{@code off}</td><td>none</td><td>upstream Linux</td></tr>
 * <tr><td>{@code kvm-2022}</td><td>per VM, 2000 ms, burst 2</td><td>2022 module parameters</td></tr>
 * <tr><td>{@code per-vm-1000-1}, {@code per-vm-2000-2}</td><td>per VM</td><td>2025 per-VM proposal</td></tr>
 * <tr><td>{@code per-vm-<ms>-<burst>}</td><td>per VM</td><td>any other setting</td></tr>
 * <tr><td>{@code per-vm-<n>hz}, {@code per-vm-<n>khz}, optional {@code -<burst>}</td><td>per VM, a rate</td>
 *     <td>2025 {@code sev_snp_request_ratelimit_khz}: one module parameter, applied to each VM</td></tr>
 * <tr><td>{@code global-<n>hz}, {@code global-<n>khz}, optional {@code -<burst>}</td><td>host-wide</td>
 *     <td>one budget for all VMs (no kernel proposal; for comparison)</td></tr>
 * </table>
 */
public final class RateLimiterPreset {

    /** The fixed names, then the two patterns, as error messages list them. */
    public static final List<String> NAMES = List.of(
            "off", "kvm-2022", "per-vm-1000-1", "per-vm-2000-2",
            "per-vm-<interval_ms>-<burst>", "per-vm-<n>hz[-<burst>]", "per-vm-<n>khz[-<burst>]",
            "global-<n>hz[-<burst>]", "global-<n>khz[-<burst>]");

    private static final Pattern PER_VM = Pattern.compile("per-vm-(\\d{1,9})-(\\d{1,6})");
    private static final Pattern PER_VM_RATE = Pattern.compile("per-vm-(\\d{1,9})(hz|khz)(?:-(\\d{1,6}))?");
    private static final Pattern GLOBAL = Pattern.compile("global-(\\d{1,9})(hz|khz)(?:-(\\d{1,6}))?");

    private RateLimiterPreset() {
    }

    /** Parses a preset name (case-insensitive, surrounding blanks ignored). */
    public static RateLimiter parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("rate limiter is missing (expected one of: " + String.join(", ", NAMES) + ")");
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("off")) {
            return new RateLimiterOff();
        }
        if (n.equals("kvm-2022")) {
            return new RateLimiterPerVm(2000, 2);
        }
        Matcher m = PER_VM.matcher(n);
        if (m.matches()) {
            return new RateLimiterPerVm(positive(name, "interval_ms", m.group(1)), positive(name, "burst", m.group(2)));
        }
        m = PER_VM_RATE.matcher(n);
        if (m.matches()) {
            long rate = positive(name, "rate", m.group(1)) * (m.group(2).equals("khz") ? 1000 : 1);
            long burst = m.group(3) == null ? 1 : positive(name, "burst", m.group(3));
            return RateLimiterPerVm.ofRate(rate, burst);
        }
        m = GLOBAL.matcher(n);
        if (m.matches()) {
            long rate = positive(name, "rate", m.group(1)) * (m.group(2).equals("khz") ? 1000 : 1);
            long burst = m.group(3) == null ? 1 : positive(name, "burst", m.group(3));
            return new RateLimiterGlobal(rate, burst);
        }
        throw new IllegalArgumentException("unknown rate limiter '" + name + "' (expected one of: "
                + String.join(", ", NAMES) + ")");
    }

    private static long positive(String name, String field, String digits) {
        long v = Long.parseLong(digits);
        if (v == 0) {
            throw new IllegalArgumentException("rate limiter '" + name + "': " + field + " is 0 (expected: > 0)");
        }
        return v;
    }
}
