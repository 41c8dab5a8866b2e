package dev.snpsim.abi.msg;

import static dev.snpsim.abi.msg.MsgLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;

/**
 * MSG_KEY_REQ (SNP ABI spec, Table "MSG_KEY_REQ Message Structure"; Linux
 * {@code struct snp_derived_key_req}), 0x20 bytes:
 *
 * <pre>
 *   0x00 ROOT_KEY_SELECT u32   bit 0: 0 VCEK, 1 VMRK; bits 31:1 reserved here
 *   0x04 reserved u32
 *   0x08 GUEST_FIELD_SELECT u64  bit 0 policy, 1 image_id, 2 family_id, 3 measurement,
 *                               4 guest_svn, 5 tcb_version; 63:6 reserved
 *   0x10 VMPL u32
 *   0x14 GUEST_SVN u32
 *   0x18 TCB_VERSION u64
 * </pre>
 */
public record KeyRequest(int rootKeySelect, long guestFieldSelect, int vmpl, int guestSvn, long tcbVersion) {
    public static final int ROOT_KEY_VCEK = 0;
    public static final int ROOT_KEY_VMRK = 1;
    /** Bits of GUEST_FIELD_SELECT defined here. */
    public static final long GUEST_FIELD_SELECT_MASK = 0x3fL;
    public static final int SIZE = KEY_REQ_SIZE;

    public KeyRequest {
        if (rootKeySelect != ROOT_KEY_VCEK && rootKeySelect != ROOT_KEY_VMRK) {
            throw AbiException.of("key request root_key_select is 0x%x (expected: 0 vcek or 1 vmrk)", rootKeySelect);
        }
        if ((guestFieldSelect & ~GUEST_FIELD_SELECT_MASK) != 0) {
            throw AbiException.of("key request guest_field_select 0x%x: reserved bits 63:6 not all zero", guestFieldSelect);
        }
        if (vmpl < 0 || vmpl > 3) {
            throw AbiException.of("key request vmpl is %d (expected: 0..3)", Integer.toUnsignedLong(vmpl));
        }
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.putU32(b, KEY_REQ_ROOT_KEY_SELECT, rootKeySelect);
        LeBytes.putU64(b, KEY_REQ_GUEST_FIELD_SELECT, guestFieldSelect);
        LeBytes.putU32(b, KEY_REQ_VMPL, vmpl);
        LeBytes.putU32(b, KEY_REQ_GUEST_SVN, guestSvn);
        LeBytes.putU64(b, KEY_REQ_TCB_VERSION, tcbVersion);
        return b;
    }

    public static KeyRequest decode(byte[] b) {
        LeBytes.requireLength(b, SIZE, "key request");
        LeBytes.requireZero(b, KEY_REQ_RESERVED, KEY_REQ_GUEST_FIELD_SELECT, "key request reserved");
        try {
            return new KeyRequest(LeBytes.u32(b, KEY_REQ_ROOT_KEY_SELECT), LeBytes.u64(b, KEY_REQ_GUEST_FIELD_SELECT),
                    LeBytes.u32(b, KEY_REQ_VMPL), LeBytes.u32(b, KEY_REQ_GUEST_SVN), LeBytes.u64(b, KEY_REQ_TCB_VERSION));
        } catch (AbiException e) {
            throw new AbiException(e.getMessage() + " (fields at 0x0, 0x8, 0x10)", e);
        }
    }
}
