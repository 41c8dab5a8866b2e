package dev.snpsim.abi.ghcb;

/**
 * SW_EXITINFO2 after a guest request (GHCB spec 2.0): bits 63:32 the VMM error, bits
 * 31:0 the firmware error. Both are u32 held in {@code int}.
 */
public record ExitInfo2(int vmmError, int fwError) {
    /** Success: both halves zero. */
    public static final ExitInfo2 OK = new ExitInfo2(0, 0);

    public static ExitInfo2 of(VmmError vmm, int fwError) {
        if (vmm == VmmError.OTHER) {
            throw new IllegalArgumentException("VmmError.OTHER has no code; use the constructor with the raw value");
        }
        return new ExitInfo2(vmm.code(), fwError);
    }

    public static ExitInfo2 of(VmmError vmm, FirmwareStatus fw) {
        return of(vmm, fw.code());
    }

    public static ExitInfo2 decode(long raw) {
        return new ExitInfo2((int) (raw >>> 32), (int) raw);
    }

    public long encode() {
        return (Integer.toUnsignedLong(vmmError) << 32) | Integer.toUnsignedLong(fwError);
    }

    public VmmError vmmErrorKind() {
        return VmmError.classify(vmmError);
    }

    public FirmwareStatus firmwareStatus() {
        return FirmwareStatus.of(fwError);
    }

    public boolean isSuccess() {
        return vmmError == 0 && fwError == 0;
    }

    @Override
    public String toString() {
        return String.format("ExitInfo2[0x%016x vmm=%s fw=%s]", encode(), vmmErrorKind(), firmwareStatus());
    }
}
