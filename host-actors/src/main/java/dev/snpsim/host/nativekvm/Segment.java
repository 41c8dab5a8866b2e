package dev.snpsim.host.nativekvm;

import com.sun.jna.Pointer;

/**
 * {@code struct kvm_segment} (24 bytes): base u64 @0x00, limit u32 @0x08, selector u16 @0x0c,
 * then one byte each: type @0x0e, present, dpl, db, s, l, g, avl, unusable @0x16, padding @0x17.
 * This is the hidden (cached) descriptor state, loaded by {@code KVM_SET_SREGS} without any
 * descriptor table in guest memory.
 */
public record Segment(long base, int limit, int selector, int type, int present, int dpl, int db,
        int s, int l, int g, int avl, int unusable) {

    /** Flat 4 GiB 32-bit ring-0 code segment: execute/read, accessed (type 0xb), D=1, G=1. */
    public static Segment flatCode32(int selector) {
        return new Segment(0, 0xFFFF_FFFF, selector, 0xB, 1, 0, 1, 1, 0, 1, 0, 0);
    }

    /** Flat 4 GiB 32-bit ring-0 data segment: read/write, accessed (type 0x3), B=1, G=1. */
    public static Segment flatData32(int selector) {
        return new Segment(0, 0xFFFF_FFFF, selector, 0x3, 1, 0, 1, 1, 0, 1, 0, 0);
    }

    static Segment decode(Pointer p, long off) {
        byte[] b = p.getByteArray(off + KvmLayout.SEG_TYPE, 9);
        return new Segment(p.getLong(off + KvmLayout.SEG_BASE), p.getInt(off + KvmLayout.SEG_LIMIT),
                p.getShort(off + KvmLayout.SEG_SELECTOR) & 0xFFFF, b[0] & 0xFF, b[1] & 0xFF,
                b[2] & 0xFF, b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF, b[6] & 0xFF, b[7] & 0xFF,
                b[8] & 0xFF);
    }

    void encode(Pointer p, long off) {
        p.setLong(off + KvmLayout.SEG_BASE, base);
        p.setInt(off + KvmLayout.SEG_LIMIT, limit);
        p.setShort(off + KvmLayout.SEG_SELECTOR, (short) selector);
        p.write(off + KvmLayout.SEG_TYPE, new byte[] {(byte) type, (byte) present, (byte) dpl,
            (byte) db, (byte) s, (byte) l, (byte) g, (byte) avl, (byte) unusable, 0}, 0, 10);
    }
}
