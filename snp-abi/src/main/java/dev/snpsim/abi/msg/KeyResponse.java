package dev.snpsim.abi.msg;

import static dev.snpsim.abi.msg.MsgLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/**
 * MSG_KEY_RSP (SNP ABI spec, Table "MSG_KEY_RSP Message Structure"), 0x40 bytes:
 * 0x00 STATUS u32, 0x04 reserved[28], 0x20 DERIVED_KEY[32] (zero unless success).
 */
public record KeyResponse(int status, byte[] key) {
    public static final int SIZE = KEY_RSP_SIZE;

    public KeyResponse {
        ResponseStatus.of(status);
        key = LeBytes.copyOf(key, KEY_SIZE, "derived key");
    }

    public ResponseStatus responseStatus() {
        return ResponseStatus.of(status);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.putU32(b, KEY_RSP_STATUS, status);
        LeBytes.put(b, KEY_RSP_KEY, key, KEY_SIZE);
        return b;
    }

    public static KeyResponse decode(byte[] b) {
        LeBytes.requireLength(b, SIZE, "key response");
        LeBytes.requireZero(b, KEY_RSP_RESERVED, KEY_RSP_KEY, "key response reserved");
        int status = LeBytes.u32(b, KEY_RSP_STATUS);
        try {
            ResponseStatus.of(status);
        } catch (AbiException e) {
            throw new AbiException("key response at 0x0: " + e.getMessage(), e);
        }
        return new KeyResponse(status, LeBytes.slice(b, KEY_RSP_KEY, KEY_SIZE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyResponse r && status == r.status && Arrays.equals(key, r.key);
    }

    @Override
    public int hashCode() {
        return status * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "KeyResponse[status=0x" + Integer.toHexString(status) + "]";
    }
}
