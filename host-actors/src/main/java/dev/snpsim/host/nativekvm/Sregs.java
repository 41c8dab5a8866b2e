package dev.snpsim.host.nativekvm;

import com.sun.jna.Pointer;
import java.util.List;

/**
 * {@code struct kvm_sregs} (x86, 312 bytes): segments cs, ds, es, fs, gs, ss, tr, ldt (8 x 24
 * bytes from 0x00), gdt @0xc0, idt @0xd0, then u64 cr0 @0xe0, cr2, cr3, cr4, cr8, efer @0x108,
 * apic_base @0x110, and interrupt_bitmap u64[4] @0x118.
 */
public record Sregs(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss,
        Segment tr, Segment ldt, DescriptorTable gdt, DescriptorTable idt, long cr0, long cr2,
        long cr3, long cr4, long cr8, long efer, long apicBase, List<Long> interruptBitmap) {

    /** CR0.PE: protected mode enable. */
    public static final long CR0_PE = 0x1;

    public Sregs {
        if (interruptBitmap.size() != KvmLayout.SREGS_INTERRUPT_WORDS) {
            throw KvmException.of("interrupt_bitmap has %d words (expected: %d)",
                    interruptBitmap.size(), KvmLayout.SREGS_INTERRUPT_WORDS);
        }
        interruptBitmap = List.copyOf(interruptBitmap);
    }

    /**
     * These registers switched to flat 32-bit protected mode without paging: CS the
     * {@link Segment#flatCode32 flat code segment} (selector 0x08), the data segments flat
     * (selector 0x10), CR0.PE set. No GDT is needed in guest memory as long as the guest never
     * reloads a segment register.
     */
    public Sregs flatProtectedMode() {
        Segment code = Segment.flatCode32(0x08);
        Segment data = Segment.flatData32(0x10);
        return new Sregs(code, data, data, data, data, data, tr, ldt, gdt, idt, cr0 | CR0_PE, cr2,
                cr3, cr4, cr8, efer, apicBase, interruptBitmap);
    }

    static Sregs decode(Pointer p) {
        Segment[] s = new Segment[8];
        for (int i = 0; i < s.length; i++) {
            s[i] = Segment.decode(p, KvmLayout.SREGS_SEGMENTS + (long) i * KvmLayout.SEGMENT_SIZE);
        }
        long[] c = p.getLongArray(KvmLayout.SREGS_CR0, 7);
        long[] bitmap = p.getLongArray(KvmLayout.SREGS_INTERRUPT_BITMAP, KvmLayout.SREGS_INTERRUPT_WORDS);
        return new Sregs(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
                DescriptorTable.decode(p, KvmLayout.SREGS_GDT), DescriptorTable.decode(p, KvmLayout.SREGS_IDT),
                c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                List.of(bitmap[0], bitmap[1], bitmap[2], bitmap[3]));
    }

    void encode(Pointer p) {
        Segment[] s = {cs, ds, es, fs, gs, ss, tr, ldt};
        for (int i = 0; i < s.length; i++) {
            s[i].encode(p, KvmLayout.SREGS_SEGMENTS + (long) i * KvmLayout.SEGMENT_SIZE);
        }
        gdt.encode(p, KvmLayout.SREGS_GDT);
        idt.encode(p, KvmLayout.SREGS_IDT);
        p.write(KvmLayout.SREGS_CR0, new long[] {cr0, cr2, cr3, cr4, cr8, efer, apicBase}, 0, 7);
        for (int i = 0; i < KvmLayout.SREGS_INTERRUPT_WORDS; i++) {
            p.setLong(KvmLayout.SREGS_INTERRUPT_BITMAP + 8L * i, interruptBitmap.get(i));
        }
    }
}
