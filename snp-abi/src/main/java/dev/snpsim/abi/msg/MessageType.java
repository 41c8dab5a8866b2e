package dev.snpsim.abi.msg;

import dev.snpsim.abi.AbiException;

/**
 * MSG_TYPE values (SNP ABI spec, "Message Type Encodings"; Linux {@code enum msg_type}).
 * A response's type is its request's type + 1.
 */
public enum MessageType {
    CPUID_REQ(1), CPUID_RSP(2),
    KEY_REQ(3), KEY_RSP(4),
    REPORT_REQ(5), REPORT_RSP(6),
    EXPORT_REQ(7), EXPORT_RSP(8),
    IMPORT_REQ(9), IMPORT_RSP(10),
    ABSORB_REQ(11), ABSORB_RSP(12),
    VMRK_REQ(13), VMRK_RSP(14),
    TSC_INFO_REQ(17), TSC_INFO_RSP(18);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True for request types (odd codes). */
    public boolean isRequest() {
        return (code & 1) == 1;
    }

    /** The response type that answers this request. */
    public MessageType response() {
        if (!isRequest()) {
            throw AbiException.of("message type %s is a response, it has no response type", name().toLowerCase(java.util.Locale.ROOT));
        }
        return of(code + 1);
    }

    /** values() copies its array on every call; every message header decodes a type. */
    private static final MessageType[] VALUES = values();

    public static MessageType of(int code) {
        for (MessageType t : VALUES) {
            if (t.code == code) {
                return t;
            }
        }
        throw AbiException.of("msg_type %d is not a defined message type", code);
    }
}
