package dev.snpsim.abi;

import java.util.Arrays;

/**
 * Little-endian reads and writes at byte offsets, and the range checks every decoder in
 * {@code snp-abi} shares. Every read is bounds-checked and fails with an
 * {@link AbiException} naming the offset, never with an {@link IndexOutOfBoundsException}.
 */
public final class LeBytes {
    /** never written to: compared against, to tell zeros */
    private static final byte[] ZEROS = new byte[4096];

    private LeBytes() {
    }

    public static int u8(byte[] b, int off) {
        check(b, off, 1);
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        check(b, off, 2);
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    /** A u32 in an {@code int}; callers treat it as unsigned where the spec says so. */
    public static int u32(byte[] b, int off) {
        check(b, off, 4);
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** A u64 in a {@code long}; all 64 bits are used, so read it as unsigned. */
    public static long u64(byte[] b, int off) {
        check(b, off, 8);
        return (u32(b, off) & 0xffffffffL) | (long) u32(b, off + 4) << 32;
    }

    public static void putU8(byte[] b, int off, int v) {
        check(b, off, 1);
        b[off] = (byte) v;
    }

    public static void putU16(byte[] b, int off, int v) {
        check(b, off, 2);
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void putU32(byte[] b, int off, int v) {
        check(b, off, 4);
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public static void putU64(byte[] b, int off, long v) {
        check(b, off, 8);
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** A copy of {@code b[off, off + len)}. */
    public static byte[] slice(byte[] b, int off, int len) {
        check(b, off, len);
        return Arrays.copyOfRange(b, off, off + len);
    }

    /** Copies {@code src} (exactly {@code len} bytes) into {@code b} at {@code off}. */
    public static void put(byte[] b, int off, byte[] src, int len) {
        if (src.length != len) {
            throw AbiException.of("field at 0x%x is %d bytes (expected: %d)", off, src.length, len);
        }
        check(b, off, len);
        System.arraycopy(src, 0, b, off, len);
    }

    /**
     * Checks that {@code b[from, to)} is all zero; the message names the range and the
     * first non-zero byte: {@code "mbz range [0x4c:0x50] not all zero (0x4d is 0x01)"}.
     */
    public static void requireZero(byte[] b, int from, int to, String what) {
        check(b, from, to - from);
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                throw AbiException.of("%s: mbz range [0x%x:0x%x] not all zero (0x%x is 0x%02x)",
                        what, from, to, i, b[i] & 0xff);
            }
        }
    }

    /** True if every byte of {@code b[from, to)} is zero. */
    public static boolean isZero(byte[] b, int from, int to) {
        check(b, from, to - from);
        for (int at = from; at < to; at += ZEROS.length) { // compared a page at a time, vectorized
            int n = Math.min(ZEROS.length, to - at);
            if (Arrays.mismatch(b, at, at + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Fails unless {@code b} holds exactly {@code expected} bytes. */
    public static void requireLength(byte[] b, int expected, String what) {
        if (b == null) {
            throw AbiException.of("%s is missing (expected: 0x%x bytes)", what, expected);
        }
        if (b.length != expected) {
            throw AbiException.of("%s is %d bytes (expected: 0x%x)", what, b.length, expected);
        }
    }

    /** Fails unless {@code b} holds at least {@code min} bytes. */
    public static void requireAtLeast(byte[] b, int min, String what) {
        if (b == null) {
            throw AbiException.of("%s is missing (expected: at least 0x%x bytes)", what, min);
        }
        if (b.length < min) {
            throw AbiException.of("%s is %d bytes (expected: at least 0x%x)", what, b.length, min);
        }
    }

    /** A defensive copy that also checks the length of a fixed-size field. */
    public static byte[] copyOf(byte[] b, int expected, String field) {
        requireLength(b, expected, field);
        return b.clone();
    }

    private static void check(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || (long) off + len > b.length) {
            throw AbiException.of("read of %d bytes at 0x%x is outside a %d-byte buffer", len, off, b.length);
        }
    }
}
