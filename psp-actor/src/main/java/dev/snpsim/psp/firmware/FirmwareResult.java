package dev.snpsim.psp.firmware;

import dev.snpsim.abi.ghcb.FirmwareStatus;

/**
 * What a firmware command returns: its status and, where the command produces one, a page
 * (the sealed response of a guest request, the filled secrets or CPUID page), else null.
 */
public record FirmwareResult(FirmwareStatus status, byte[] page) {
    public FirmwareResult {
        page = page == null ? null : page.clone();
    }

    public static FirmwareResult of(FirmwareStatus status) {
        return new FirmwareResult(status, null);
    }

    public static FirmwareResult success(byte[] page) {
        return new FirmwareResult(FirmwareStatus.SUCCESS, page);
    }

    public boolean ok() {
        return status == FirmwareStatus.SUCCESS;
    }

    @Override
    public byte[] page() {
        return page == null ? null : page.clone();
    }

    @Override
    public String toString() {
        return "FirmwareResult[" + status + (page == null ? "" : ", " + page.length + " bytes") + "]";
    }
}
