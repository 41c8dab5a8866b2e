package dev.snpsim.host.nativekvm;

/**
 * Byte offsets and sizes of the kernel structures the backend reads and writes, x86-64
 * (from {@code include/uapi/linux/kvm.h} and {@code arch/x86/include/uapi/asm/kvm.h}).
 */
final class KvmLayout {
    // struct kvm_userspace_memory_region (32 bytes)
    static final int MEMORY_REGION_SIZE = 0x20;
    /** {@code __u32 slot}. */
    static final int MR_SLOT = 0x00;
    /** {@code __u32 flags}. */
    static final int MR_FLAGS = 0x04;
    /** {@code __u64 guest_phys_addr}. */
    static final int MR_GUEST_PHYS_ADDR = 0x08;
    /** {@code __u64 memory_size}. */
    static final int MR_MEMORY_SIZE = 0x10;
    /** {@code __u64 userspace_addr}. */
    static final int MR_USERSPACE_ADDR = 0x18;

    // struct kvm_device_attr (24 bytes)
    static final int DEVICE_ATTR_SIZE = 0x18;
    /** {@code __u32 flags}. */
    static final int DA_FLAGS = 0x00;
    /** {@code __u32 group}. */
    static final int DA_GROUP = 0x04;
    /** {@code __u64 attr}. */
    static final int DA_ATTR = 0x08;
    /** {@code __u64 addr}: userspace address of the value. */
    static final int DA_ADDR = 0x10;

    // struct kvm_run (the vCPU mapping; only the fields used)
    /** {@code __u8 request_interrupt_window}. */
    static final int RUN_REQUEST_INTERRUPT_WINDOW = 0x00;
    /** {@code __u8 immediate_exit}: KVM_RUN returns -EINTR at once when set on entry. */
    static final int RUN_IMMEDIATE_EXIT = 0x01;
    /** {@code __u32 exit_reason}. */
    static final int RUN_EXIT_REASON = 0x08;
    /** Start of the exit union. */
    static final int RUN_EXIT_UNION = 0x20;
    /** {@code io.direction}: 0 in, 1 out. */
    static final int RUN_IO_DIRECTION = 0x20;
    /** {@code io.size}: bytes per access. */
    static final int RUN_IO_SIZE = 0x21;
    /** {@code io.port}. */
    static final int RUN_IO_PORT = 0x22;
    /** {@code io.count}: repetitions (string I/O). */
    static final int RUN_IO_COUNT = 0x24;
    /** {@code io.data_offset}: offset of the data from the start of {@code kvm_run}. */
    static final int RUN_IO_DATA_OFFSET = 0x28;
    /** {@code fail_entry.hardware_entry_failure_reason} / {@code internal.suberror}. */
    static final int RUN_FAIL_REASON = 0x20;

    // struct kvm_regs (144 bytes): 18 x __u64 rax..r15, rip, rflags
    static final int REGS_SIZE = 0x90;

    // struct kvm_segment (24 bytes)
    static final int SEGMENT_SIZE = 0x18;
    /** {@code __u64 base}. */
    static final int SEG_BASE = 0x00;
    /** {@code __u32 limit}. */
    static final int SEG_LIMIT = 0x08;
    /** {@code __u16 selector}. */
    static final int SEG_SELECTOR = 0x0C;
    /** {@code __u8 type}, then present, dpl, db, s, l, g, avl, unusable, padding (one byte each). */
    static final int SEG_TYPE = 0x0E;

    // struct kvm_dtable (16 bytes)
    static final int DTABLE_SIZE = 0x10;
    /** {@code __u64 base}. */
    static final int DT_BASE = 0x00;
    /** {@code __u16 limit}. */
    static final int DT_LIMIT = 0x08;

    // struct kvm_sregs (312 bytes)
    static final int SREGS_SIZE = 0x138;
    /** cs, ds, es, fs, gs, ss, tr, ldt: eight kvm_segment from 0x00. */
    static final int SREGS_SEGMENTS = 0x00;
    /** {@code struct kvm_dtable gdt}. */
    static final int SREGS_GDT = 0xC0;
    /** {@code struct kvm_dtable idt}. */
    static final int SREGS_IDT = 0xD0;
    /** cr0, cr2, cr3, cr4, cr8, efer, apic_base: seven __u64 from 0xE0. */
    static final int SREGS_CR0 = 0xE0;
    /** {@code __u64 interrupt_bitmap[4]}. */
    static final int SREGS_INTERRUPT_BITMAP = 0x118;
    /** Words in {@code interrupt_bitmap}: (KVM_NR_INTERRUPTS 256 + 63) / 64. */
    static final int SREGS_INTERRUPT_WORDS = 4;

    private KvmLayout() {
    }
}
