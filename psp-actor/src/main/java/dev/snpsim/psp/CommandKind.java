package dev.snpsim.psp;

import java.util.Locale;

/** The PSP commands by their SEV firmware names; the key of service times and metrics. */
public enum CommandKind {
    SNP_GUEST_REQUEST,
    SNP_LAUNCH_START,
    SNP_LAUNCH_UPDATE,
    SNP_LAUNCH_FINISH,
    SNP_DECOMMISSION,
    SNP_PLATFORM_STATUS,
    SNP_COMMIT,
    SNP_SET_CONFIG,
    SNP_VLEK_LOAD,
    SNP_DOWNLOAD_FIRMWARE_EX;

    /** True for the guest lifecycle commands (launch start, update, finish, decommission). */
    public boolean isLaunch() {
        return this == SNP_LAUNCH_START || this == SNP_LAUNCH_UPDATE || this == SNP_LAUNCH_FINISH
                || this == SNP_DECOMMISSION;
    }

    /** The kind of a PSP command; internal messages have none. */
    public static CommandKind of(Psp.Command c) {
        if (c instanceof Psp.GuestRequest) {
            return SNP_GUEST_REQUEST;
        } else if (c instanceof Psp.LaunchStart) {
            return SNP_LAUNCH_START;
        } else if (c instanceof Psp.LaunchUpdate) {
            return SNP_LAUNCH_UPDATE;
        } else if (c instanceof Psp.LaunchFinish) {
            return SNP_LAUNCH_FINISH;
        } else if (c instanceof Psp.Decommission) {
            return SNP_DECOMMISSION;
        } else if (c instanceof Psp.PlatformStatus) {
            return SNP_PLATFORM_STATUS;
        } else if (c instanceof Psp.Commit) {
            return SNP_COMMIT;
        } else if (c instanceof Psp.SetConfig) {
            return SNP_SET_CONFIG;
        } else if (c instanceof Psp.VlekLoad) {
            return SNP_VLEK_LOAD;
        } else if (c instanceof Psp.DownloadFirmware) {
            return SNP_DOWNLOAD_FIRMWARE_EX;
        }
        throw new IllegalArgumentException("not a firmware command: " + c.getClass().getSimpleName());
    }

    /** Lower-case name for keys and traces: {@code snp_guest_request}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
