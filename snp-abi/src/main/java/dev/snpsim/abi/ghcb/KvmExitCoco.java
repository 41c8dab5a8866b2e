package dev.snpsim.abi.ghcb;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.nio.ByteBuffer;

/**
 * {@code struct kvm_exit_coco} of the 2024 patch series, exit reason
 * {@link KvmRun#KVM_EXIT_COCO}, in the kvm_run exit union (32 bytes):
 *
 * <pre>
 *   0x00 nr u8                 0 = KVM_EXIT_COCO_REQ_CERTS
 *   0x01 pad0[7]
 *   0x08 ret u32               0, ENOSPC, EAGAIN or EIO, set by userspace
 *   0x0C pad1 u32
 *   0x10 req_certs.gfn u64
 *   0x18 req_certs.npages u32  userspace writes the pages needed on ENOSPC
 *   0x1C (padding)
 * </pre>
 *
 * Enabled per VM with {@link KvmRun#KVM_CAP_EXIT_COCO} and a bitmask of {@code 1 << nr}.
 * Padding is written as zero and not checked on decode.
 */
public record KvmExitCoco(int nr, int ret, long gfn, int npages) {
    public static final int REQ_CERTS = 0;
    /** {@code KVM_EXIT_COCO_MAX}: event numbers are below it. */
    public static final int MAX = 1;
    public static final int SIZE = 32;

    static final int NR = 0x00;
    static final int RET = 0x08;
    static final int GFN = 0x10;
    static final int NPAGES = 0x18;

    public KvmExitCoco {
        if (nr < 0 || nr >= MAX) {
            throw AbiException.of("kvm_exit_coco nr is %d (expected: 0, req_certs)", nr);
        }
    }

    /** A certificate request for {@code npages} pages at guest frame {@code gfn}; ret 0. */
    public static KvmExitCoco reqCerts(long gfn, int npages) {
        return new KvmExitCoco(REQ_CERTS, 0, gfn, npages);
    }

    public KvmExitCoco withRet(int newRet) {
        return new KvmExitCoco(nr, newRet, gfn, npages);
    }

    public KvmExitCoco withNpages(int newNpages) {
        return new KvmExitCoco(nr, ret, gfn, newNpages);
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.putU8(b, NR, nr);
        LeBytes.putU32(b, RET, ret);
        LeBytes.putU64(b, GFN, gfn);
        LeBytes.putU32(b, NPAGES, npages);
        return b;
    }

    public void writeTo(ByteBuffer bb, int offset) {
        KvmRun.write(bb, offset, encode(), "kvm_exit_coco");
    }

    public static KvmExitCoco decode(byte[] b, int offset) {
        byte[] s = LeBytes.slice(b, offset, SIZE);
        return new KvmExitCoco(LeBytes.u8(s, NR), LeBytes.u32(s, RET), LeBytes.u64(s, GFN), LeBytes.u32(s, NPAGES));
    }

    public static KvmExitCoco decode(ByteBuffer bb, int offset) {
        return decode(KvmRun.read(bb, offset, SIZE, "kvm_exit_coco"), 0);
    }
}
