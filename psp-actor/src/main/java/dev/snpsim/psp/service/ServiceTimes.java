package dev.snpsim.psp.service;

import dev.snpsim.psp.CommandKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * The service time of each command kind. {@link #defaults()}: guest request 8 ms (one
 * {@code snpguest report} on real hardware, SPEC.md section 11); the rest are estimates, not
 * measurements: launch update 50 us per 4 KiB page, launch start 2 ms, launch finish 5 ms,
 * decommission 1 ms, platform status 0.2 ms, commit 5 ms, set-config 1 ms, VLEK load 5 ms,
 * firmware download 500 ms. All fixed, so a default run has no service-time noise.
 */
public final class ServiceTimes {
    private final EnumMap<CommandKind, ServiceTime> times;

    private ServiceTimes(EnumMap<CommandKind, ServiceTime> times) {
        this.times = times;
    }

    public static ServiceTimes defaults() {
        EnumMap<CommandKind, ServiceTime> m = new EnumMap<>(CommandKind.class);
        m.put(CommandKind.SNP_GUEST_REQUEST, ServiceTimeFixed.ofMillis(8));
        m.put(CommandKind.SNP_LAUNCH_START, ServiceTimeFixed.ofMillis(2));
        m.put(CommandKind.SNP_LAUNCH_UPDATE, ServiceTimeFixed.ofMillis(0.05));
        m.put(CommandKind.SNP_LAUNCH_FINISH, ServiceTimeFixed.ofMillis(5));
        m.put(CommandKind.SNP_DECOMMISSION, ServiceTimeFixed.ofMillis(1));
        m.put(CommandKind.SNP_PLATFORM_STATUS, ServiceTimeFixed.ofMillis(0.2));
        m.put(CommandKind.SNP_COMMIT, ServiceTimeFixed.ofMillis(5));
        m.put(CommandKind.SNP_SET_CONFIG, ServiceTimeFixed.ofMillis(1));
        m.put(CommandKind.SNP_VLEK_LOAD, ServiceTimeFixed.ofMillis(5));
        m.put(CommandKind.SNP_DOWNLOAD_FIRMWARE_EX, ServiceTimeFixed.ofMillis(500));
        return new ServiceTimes(m);
    }

    /** Every command kind takes {@code time}. */
    public static ServiceTimes all(ServiceTime time) {
        EnumMap<CommandKind, ServiceTime> m = new EnumMap<>(CommandKind.class);
        for (CommandKind k : CommandKind.values()) {
            m.put(k, time);
        }
        return new ServiceTimes(m);
    }

    /** A copy with {@code kind} taking {@code time}. */
    public ServiceTimes with(CommandKind kind, ServiceTime time) {
        if (time == null) {
            throw new IllegalArgumentException("service time of " + kind + " is missing");
        }
        EnumMap<CommandKind, ServiceTime> m = new EnumMap<>(times);
        m.put(kind, time);
        return new ServiceTimes(m);
    }

    public ServiceTime of(CommandKind kind) {
        return times.get(kind);
    }

    /** The kinds and their times, in declaration order. */
    public Map<CommandKind, ServiceTime> asMap() {
        return new EnumMap<>(times);
    }

    @Override
    public String toString() {
        return "ServiceTimes" + times;
    }
}
