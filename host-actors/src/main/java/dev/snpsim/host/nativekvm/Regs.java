package dev.snpsim.host.nativekvm;

import com.sun.jna.Pointer;

/**
 * {@code struct kvm_regs} (x86, 144 bytes): eighteen u64 in this order, each at
 * {@code 8 * index}: rax 0x00, rbx 0x08, rcx 0x10, rdx 0x18, rsi 0x20, rdi 0x28, rsp 0x30,
 * rbp 0x38, r8..r15 0x40..0x78, rip 0x80, rflags 0x88.
 */
public record Regs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
        long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
        long rip, long rflags) {

    /** RFLAGS bit 1 is reserved and always 1. */
    public static final long RFLAGS_RESERVED = 0x2;

    /** All zero except the reserved RFLAGS bit, then the given entry point and RSI. */
    public static Regs entry(long rip, long rsi) {
        return new Regs(0, 0, 0, 0, rsi, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rip, RFLAGS_RESERVED);
    }

    static Regs decode(Pointer p) {
        long[] v = p.getLongArray(0, 18);
        return new Regs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                v[12], v[13], v[14], v[15], v[16], v[17]);
    }

    void encode(Pointer p) {
        p.write(0, new long[] {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13,
            r14, r15, rip, rflags}, 0, 18);
    }
}
