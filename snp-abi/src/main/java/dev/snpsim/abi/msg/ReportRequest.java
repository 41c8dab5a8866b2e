package dev.snpsim.abi.msg;

import static dev.snpsim.abi.msg.MsgLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/**
 * MSG_REPORT_REQ (SNP ABI spec, Table "MSG_REPORT_REQ Message Structure"), 0x60 bytes:
 *
 * <pre>
 *   0x00 REPORT_DATA[64]
 *   0x40 VMPL u32           0..3, not below the requesting VMPL
 *   0x44 KEY_SEL bits 1:0   0 default (VLEK if loaded, else VCEK), 1 VCEK, 2 VLEK; 31:2 reserved
 *   0x48 reserved[24]
 * </pre>
 */
public record ReportRequest(byte[] reportData, int vmpl, int keySel) {
    /** KEY_SEL: sign with the VLEK if one is loaded, else the VCEK. */
    public static final int KEY_SEL_DEFAULT = 0;
    /** KEY_SEL: sign with the VCEK. */
    public static final int KEY_SEL_VCEK = 1;
    /** KEY_SEL: sign with the VLEK. */
    public static final int KEY_SEL_VLEK = 2;
    /** Encoded size. */
    public static final int SIZE = REPORT_REQ_SIZE;

    public ReportRequest {
        reportData = LeBytes.copyOf(reportData, REPORT_DATA_SIZE, "report_data");
        if (vmpl < 0 || vmpl > 3) {
            throw AbiException.of("report request vmpl is %d (expected: 0..3)", Integer.toUnsignedLong(vmpl));
        }
        if (keySel < 0 || keySel > KEY_SEL_VLEK) {
            throw AbiException.of("report request key_sel is %d (expected: 0 default, 1 vcek or 2 vlek)", keySel);
        }
    }

    @Override
    public byte[] reportData() {
        return reportData.clone();
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.put(b, REPORT_REQ_DATA, reportData, REPORT_DATA_SIZE);
        LeBytes.putU32(b, REPORT_REQ_VMPL, vmpl);
        LeBytes.putU32(b, REPORT_REQ_KEY_SEL, keySel);
        return b;
    }

    /** Decodes exactly 0x60 bytes; rejects VMPL > 3, KEY_SEL 3, and non-zero reserved bits. */
    public static ReportRequest decode(byte[] b) {
        LeBytes.requireLength(b, SIZE, "report request");
        int vmpl = LeBytes.u32(b, REPORT_REQ_VMPL);
        if (vmpl < 0 || vmpl > 3) {
            throw AbiException.of("report request vmpl at 0x40 is %d (expected: 0..3)", Integer.toUnsignedLong(vmpl));
        }
        int keySelField = LeBytes.u32(b, REPORT_REQ_KEY_SEL);
        if ((keySelField & ~3) != 0) {
            throw AbiException.of("report request key_sel field at 0x44 is 0x%x: reserved bits 31:2 not all zero",
                    keySelField);
        }
        if (keySelField == 3) {
            throw new AbiException("report request key_sel at 0x44 is 3 (reserved; expected: 0, 1 or 2)");
        }
        LeBytes.requireZero(b, REPORT_REQ_RESERVED, SIZE, "report request reserved");
        return new ReportRequest(LeBytes.slice(b, REPORT_REQ_DATA, REPORT_DATA_SIZE), vmpl, keySelField);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportRequest r && vmpl == r.vmpl && keySel == r.keySel && Arrays.equals(reportData, r.reportData);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(reportData) * 31 + vmpl * 7 + keySel;
    }

    @Override
    public String toString() {
        return "ReportRequest[reportData=" + Hex.of(reportData) + ", vmpl=" + vmpl + ", keySel=" + keySel + "]";
    }
}
