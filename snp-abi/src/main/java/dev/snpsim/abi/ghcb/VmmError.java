package dev.snpsim.abi.ghcb;

/**
 * The VMM error in bits 63:32 of SW_EXITINFO2 (GHCB spec 2.0, "SNP Guest Request";
 * Linux {@code SNP_GUEST_VMM_ERR_*}). GENERIC is KVM-private: the merged kernel uses
 * {@code ~0U}; the v15 patch series used bit 31.
 */
public enum VmmError {
    NONE(0),
    /** Certificate buffer too small; RBX holds the pages needed. */
    INVALID_LEN(1),
    /** The host throttled the request; retry later. */
    BUSY(2),
    /** KVM's catch-all error (final kernel, {@code (u32)~0U}). */
    GENERIC(0xFFFF_FFFF),
    /** KVM's catch-all error in the v15 patch series (bit 31). */
    GENERIC_V15(0x8000_0000),
    /** Any other non-zero value: the guest treats it as an error. */
    OTHER(-2);

    private final int code;

    VmmError(int code) {
        this.code = code;
    }

    /** The u32 value; {@link #OTHER} has none and answers -2. */
    public int code() {
        return code;
    }

    /** The kind of a raw u32 VMM error; unknown non-zero values are {@link #OTHER}. */
    public static VmmError classify(int code) {
        for (VmmError e : values()) {
            if (e != OTHER && e.code == code) {
                return e;
            }
        }
        return OTHER;
    }
}
