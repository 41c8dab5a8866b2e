package dev.snpsim.abi.ghcb;

/**
 * SEV/SNP firmware status codes (SNP ABI spec, "Status Codes"; Linux
 * {@code include/uapi/linux/psp-sev.h}, {@code enum sev_ret_code}). Codes not listed map
 * to {@link #UNKNOWN}; callers keep the raw code (e.g. {@link ExitInfo2#fwError()}).
 */
public enum FirmwareStatus {
    SUCCESS(0x00),
    INVALID_PLATFORM_STATE(0x01),
    INVALID_GUEST_STATE(0x02),
    INVALID_CONFIG(0x03),
    INVALID_LENGTH(0x04),
    ALREADY_OWNED(0x05),
    INVALID_CERTIFICATE(0x06),
    POLICY_FAILURE(0x07),
    INACTIVE(0x08),
    INVALID_ADDRESS(0x09),
    BAD_SIGNATURE(0x0A),
    BAD_MEASUREMENT(0x0B),
    ASID_OWNED(0x0C),
    INVALID_ASID(0x0D),
    WBINVD_REQUIRED(0x0E),
    DFFLUSH_REQUIRED(0x0F),
    INVALID_GUEST(0x10),
    INVALID_COMMAND(0x11),
    ACTIVE(0x12),
    HWERROR_PLATFORM(0x13),
    HWERROR_UNSAFE(0x14),
    UNSUPPORTED(0x15),
    INVALID_PARAM(0x16),
    RESOURCE_LIMIT(0x17),
    SECURE_DATA_INVALID(0x18),
    INVALID_PAGE_SIZE(0x19),
    INVALID_PAGE_STATE(0x1A),
    INVALID_MDATA_ENTRY(0x1B),
    INVALID_PAGE_OWNER(0x1C),
    AEAD_OFLOW(0x1D),
    EXIT_RING_BUFFER(0x1F),
    RMP_INIT_REQUIRED(0x20),
    BAD_SVN(0x21),
    BAD_VERSION(0x22),
    SHUTDOWN_REQUIRED(0x23),
    UPDATE_FAILED(0x24),
    RESTORE_REQUIRED(0x25),
    RMP_INITIALIZATION_FAILED(0x26),
    INVALID_KEY(0x27),
    /** A code this enum does not name. */
    UNKNOWN(-1);

    private final int code;

    FirmwareStatus(int code) {
        this.code = code;
    }

    /** The spec value; {@link #UNKNOWN} answers -1. */
    public int code() {
        return code;
    }

    /** The status for a code, {@link #UNKNOWN} where it names none. */
    public static FirmwareStatus of(int code) {
        for (FirmwareStatus s : values()) {
            if (s != UNKNOWN && s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
