package dev.snpsim.abi.ghcb;

import dev.snpsim.abi.AbiException;
import java.nio.ByteBuffer;

/**
 * Facts about {@code struct kvm_run} (Linux {@code include/uapi/linux/kvm.h}, x86-64)
 * and the exit reasons of the three certificate-exit generations.
 *
 * <pre>
 *   0x00 request_interrupt_window u8   0x0C ready_for_interrupt_injection u8
 *   0x01 immediate_exit u8             0x0D if_flag u8
 *   0x02 padding1[6]                   0x0E flags u16
 *   0x08 exit_reason u32               0x10 cr8 u64, 0x18 apic_base u64
 *   0x20 exit union (256 bytes)
 * </pre>
 */
public final class KvmRun {
    /** Offset of {@code immediate_exit}. */
    public static final int IMMEDIATE_EXIT_OFFSET = 0x01;
    /** Offset of {@code exit_reason}. */
    public static final int EXIT_REASON_OFFSET = 0x08;
    /** Offset of the exit union, where the structures of this package sit. */
    public static final int EXIT_UNION_OFFSET = 0x20;
    /** Size of the exit union (its {@code char padding[256]}). */
    public static final int EXIT_UNION_SIZE = 256;

    /** v15 patch series: {@code KVM_EXIT_VMGEXIT} (never merged; upstream 40 is KVM_EXIT_TDX). */
    public static final int KVM_EXIT_VMGEXIT = 40;
    /** 2024 patch series: {@code KVM_EXIT_COCO} (never merged; upstream 40 is KVM_EXIT_TDX). */
    public static final int KVM_EXIT_COCO = 40;
    /**
     * Upstream {@code KVM_EXIT_SNP_REQ_CERTS}: 43 in the merged header (after TDX 40,
     * ARM_SEA 41, ARM_LDST64B 42); earlier revisions of the series used 40 and 42.
     */
    public static final int KVM_EXIT_SNP_REQ_CERTS = 43;
    /** {@code KVM_CAP_EXIT_COCO} from the 2024 patch series. */
    public static final int KVM_CAP_EXIT_COCO = 239;

    private KvmRun() {
    }

    /** Copies {@code size} bytes at absolute {@code offset} of {@code bb}, failing with an AbiException. */
    static byte[] read(ByteBuffer bb, int offset, int size, String what) {
        if (offset < 0 || offset > bb.limit() - size) {
            throw AbiException.of("%s at 0x%x needs %d bytes but the buffer ends at 0x%x", what, offset, size, bb.limit());
        }
        byte[] out = new byte[size];
        bb.get(offset, out);
        return out;
    }

    /** Writes {@code bytes} at absolute {@code offset} of {@code bb}. */
    static void write(ByteBuffer bb, int offset, byte[] bytes, String what) {
        if (offset < 0 || offset > bb.limit() - bytes.length) {
            throw AbiException.of("%s at 0x%x needs %d bytes but the buffer ends at 0x%x",
                    what, offset, bytes.length, bb.limit());
        }
        bb.put(offset, bytes);
    }
}
