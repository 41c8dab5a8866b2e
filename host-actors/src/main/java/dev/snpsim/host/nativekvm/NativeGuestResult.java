package dev.snpsim.host.nativekvm;

/**
 * The answer written back into the request block before the vCPU re-enters the guest: the
 * same two values as the simulated vCPU's {@code VmgexitDone(swExitInfo2, rbx)}.
 *
 * @param exitInfo2   SW_EXITINFO2: VMM error in bits 63:32, firmware error in bits 31:0
 * @param pagesNeeded RBX after INVALID_LEN (VMM error 1): the certificate pages the guest must
 *                    offer; ignored for any other result (RBX stays as the guest set it)
 */
public record NativeGuestResult(long exitInfo2, long pagesNeeded) {
    /** VMM error INVALID_LEN in SW_EXITINFO2 (GHCB 2.0): certificate buffer too small. */
    public static final long INVALID_LEN = 0x1_0000_0000L;
    /** VMM error BUSY in SW_EXITINFO2 (GHCB 2.0): retry later. */
    public static final long BUSY = 0x2_0000_0000L;
    /** KVM's generic error in SW_EXITINFO2 (upstream SNP_GUEST_VMM_ERR_GENERIC, 0xffffffff << 32). */
    public static final long GENERIC = 0xFFFF_FFFF_0000_0000L;

    /** Success: the firmware answered with {@code firmwareError} (0 on success). */
    public static NativeGuestResult ok(int firmwareError) {
        return new NativeGuestResult(firmwareError & 0xFFFF_FFFFL, 0);
    }

    /** BUSY: the host throttled the request. */
    public static NativeGuestResult busy() {
        return new NativeGuestResult(BUSY, 0);
    }

    /** INVALID_LEN: the guest must offer {@code pagesNeeded} pages. */
    public static NativeGuestResult invalidLen(long pagesNeeded) {
        return new NativeGuestResult(INVALID_LEN, pagesNeeded);
    }

    /** A generic VMM error. */
    public static NativeGuestResult generic() {
        return new NativeGuestResult(GENERIC, 0);
    }

    /** The VMM error, bits 63:32. */
    public int vmmError() {
        return (int) (exitInfo2 >>> 32);
    }

    /** The firmware error, bits 31:0. */
    public int firmwareError() {
        return (int) exitInfo2;
    }
}
