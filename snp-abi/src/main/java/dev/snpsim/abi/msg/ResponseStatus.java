package dev.snpsim.abi.msg;

import dev.snpsim.abi.AbiException;

/**
 * STATUS of MSG_REPORT_RSP and MSG_KEY_RSP (SNP ABI spec): the firmware's verdict on the
 * request payload, distinct from the firmware error returned in SW_EXITINFO2.
 */
public enum ResponseStatus {
    SUCCESS(0x00),
    /** A reserved field was non-zero, VMPL too low, KEY_SEL reserved, and the like. */
    INVALID_PARAMETERS(0x16),
    /** KEY_SEL asked for a key that is not loaded (the VLEK). */
    INVALID_KEY(0x27);

    private final int code;

    ResponseStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ResponseStatus of(int code) {
        for (ResponseStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw AbiException.of("response status 0x%x is not a defined status (expected: 0x0, 0x16 or 0x27)", code);
    }
}
