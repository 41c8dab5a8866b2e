package dev.snpsim.abi.report;

import static dev.snpsim.abi.report.ReportLayout.SIGNATURE_SIZE;
import static dev.snpsim.abi.report.ReportLayout.SIG_COMPONENT_SIZE;
import static dev.snpsim.abi.report.ReportLayout.SIG_R;
import static dev.snpsim.abi.report.ReportLayout.SIG_RESERVED;
import static dev.snpsim.abi.report.ReportLayout.SIG_S;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The report's 512-byte SIGNATURE field for ECDSA P-384 with SHA-384 (SNP ABI spec,
 * "ECDSA Signature Format"):
 *
 * <pre>
 *   0x000  R[72]   little-endian; P-384 uses the low 48 bytes, the rest is zero
 *   0x048  S[72]   little-endian
 *   0x090  reserved[0x170], must be zero
 * </pre>
 */
public record ReportSignature(BigInteger r, BigInteger s) {
    private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(8 * SIG_COMPONENT_SIZE);
    private static final ReportSignature ZERO = new ReportSignature(BigInteger.ZERO, BigInteger.ZERO);

    public ReportSignature {
        check("r", r);
        check("s", s);
    }

    /** The all-zero signature of a report not yet signed. */
    public static ReportSignature zero() {
        return ZERO;
    }

    public boolean isZero() {
        return r.signum() == 0 && s.signum() == 0;
    }

    /** Decodes the 512-byte field; the reserved tail must be zero. */
    public static ReportSignature decode(byte[] field) {
        LeBytes.requireLength(field, SIGNATURE_SIZE, "signature field");
        return decode(field, 0);
    }

    /**
     * Decodes the 512-byte field at {@code offset} of {@code b} (for a whole report: at 0x2A0)
     * without copying it out first; the reserved tail must be zero.
     */
    public static ReportSignature decode(byte[] b, int offset) {
        LeBytes.requireAtLeast(b, offset + SIGNATURE_SIZE, "signature field");
        if (!LeBytes.isZero(b, offset + SIG_RESERVED, offset + SIGNATURE_SIZE)) {
            LeBytes.requireZero(b, offset + SIG_RESERVED, offset + SIGNATURE_SIZE,
                    "signature reserved tail (report 0x330..0x4a0)");
        }
        return read(b, offset);
    }

    /** R and S of the field at {@code offset}, whose tail the caller has checked. */
    static ReportSignature read(byte[] b, int offset) {
        return new ReportSignature(readLe(b, offset + SIG_R), readLe(b, offset + SIG_S));
    }

    /** The 512-byte field. */
    public byte[] encode() {
        byte[] out = new byte[SIGNATURE_SIZE];
        encodeInto(out, 0);
        return out;
    }

    /** Writes the 512-byte field (reserved tail zero) into {@code dst} at {@code offset}. */
    public void encodeInto(byte[] dst, int offset) {
        if (offset < 0 || dst.length - offset < SIGNATURE_SIZE) {
            throw AbiException.of("signature field needs %d bytes at offset %d of a %d-byte buffer", SIGNATURE_SIZE,
                    offset, dst.length);
        }
        Arrays.fill(dst, offset, offset + SIGNATURE_SIZE, (byte) 0);
        writeLe(dst, offset + SIG_R, r);
        writeLe(dst, offset + SIG_S, s);
    }

    @Override
    public String toString() {
        return "ReportSignature[r=" + r.toString(16) + ", s=" + s.toString(16) + "]";
    }

    private static BigInteger readLe(byte[] b, int off) {
        byte[] be = new byte[SIG_COMPONENT_SIZE];
        for (int i = 0; i < SIG_COMPONENT_SIZE; i++) {
            be[SIG_COMPONENT_SIZE - 1 - i] = b[off + i];
        }
        return new BigInteger(1, be);
    }

    private static void writeLe(byte[] out, int off, BigInteger v) {
        byte[] be = v.toByteArray(); // big-endian, may carry a leading sign byte
        for (int i = 0; i < be.length && i < SIG_COMPONENT_SIZE; i++) {
            out[off + i] = be[be.length - 1 - i];
        }
    }

    private static void check(String name, BigInteger v) {
        if (v == null) {
            throw AbiException.of("signature %s is missing", name);
        }
        if (v.signum() < 0 || v.compareTo(LIMIT) >= 0) {
            throw AbiException.of("signature %s does not fit a 72-byte unsigned field", name);
        }
    }
}
