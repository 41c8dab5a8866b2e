package dev.snpsim.host.nativekvm;

import com.sun.jna.Pointer;

/** {@code struct kvm_dtable} (16 bytes): base u64 @0x00, limit u16 @0x08, padding u16[3]. */
public record DescriptorTable(long base, int limit) {

    static DescriptorTable decode(Pointer p, long off) {
        return new DescriptorTable(p.getLong(off + KvmLayout.DT_BASE),
                p.getShort(off + KvmLayout.DT_LIMIT) & 0xFFFF);
    }

    void encode(Pointer p, long off) {
        p.setLong(off + KvmLayout.DT_BASE, base);
        p.setShort(off + KvmLayout.DT_LIMIT, (short) limit);
        p.write(off + KvmLayout.DT_LIMIT + 2, new short[3], 0, 3);
    }
}
