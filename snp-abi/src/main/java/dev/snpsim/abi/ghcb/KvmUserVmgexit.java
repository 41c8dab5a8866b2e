package dev.snpsim.abi.ghcb;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.nio.ByteBuffer;

/**
 * {@code struct kvm_user_vmgexit} of the v15 SNP patch series, exit reason
 * {@link KvmRun#KVM_EXIT_VMGEXIT}, in the kvm_run exit union (32 bytes):
 *
 * <pre>
 *   0x00 type u32                  1 = KVM_USER_VMGEXIT_REQ_CERTS
 *   0x04 (padding)
 *   0x08 req_certs.data_gpa u64
 *   0x10 req_certs.data_npages u64 userspace writes the pages needed on INVALID_LEN
 *   0x18 req_certs.ret u32         0 ok, 1 INVALID_LEN, 2 BUSY, other = error
 *   0x1C req_certs.flags u8        bit 0 NOTIFY_DONE
 *   0x1D req_certs.status u8       0 PENDING, 1 DONE
 *   0x1E (padding)
 * </pre>
 *
 * Padding is written as zero and not checked on decode: KVM does not clear the union.
 */
public record KvmUserVmgexit(int type, long dataGpa, long dataNpages, int ret, int flags, int status) {
    public static final int REQ_CERTS = 1;
    public static final int FLAG_NOTIFY_DONE = 1;
    public static final int STATUS_PENDING = 0;
    public static final int STATUS_DONE = 1;
    public static final int RET_OK = 0;
    public static final int RET_INVALID_LEN = 1;
    public static final int RET_BUSY = 2;
    public static final int SIZE = 32;

    static final int TYPE = 0x00;
    static final int DATA_GPA = 0x08;
    static final int DATA_NPAGES = 0x10;
    static final int RET = 0x18;
    static final int FLAGS = 0x1C;
    static final int STATUS = 0x1D;

    public KvmUserVmgexit {
        if (type != REQ_CERTS) {
            throw AbiException.of("kvm_user_vmgexit type is %d (expected: 1, req_certs)", type);
        }
        if ((flags & ~FLAG_NOTIFY_DONE) != 0) {
            throw AbiException.of("kvm_user_vmgexit flags is 0x%x (expected: only bit 0, notify_done)", flags);
        }
        if (status != STATUS_PENDING && status != STATUS_DONE) {
            throw AbiException.of("kvm_user_vmgexit status is %d (expected: 0 pending or 1 done)", status);
        }
    }

    /** The first exit of a certificate request. */
    public static KvmUserVmgexit pending(long dataGpa, long dataNpages) {
        return new KvmUserVmgexit(REQ_CERTS, dataGpa, dataNpages, RET_OK, 0, STATUS_PENDING);
    }

    public boolean notifyDone() {
        return (flags & FLAG_NOTIFY_DONE) != 0;
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.putU32(b, TYPE, type);
        LeBytes.putU64(b, DATA_GPA, dataGpa);
        LeBytes.putU64(b, DATA_NPAGES, dataNpages);
        LeBytes.putU32(b, RET, ret);
        LeBytes.putU8(b, FLAGS, flags);
        LeBytes.putU8(b, STATUS, status);
        return b;
    }

    /** Writes the structure at absolute {@code offset} of {@code bb} (e.g. {@link KvmRun#EXIT_UNION_OFFSET}). */
    public void writeTo(ByteBuffer bb, int offset) {
        KvmRun.write(bb, offset, encode(), "kvm_user_vmgexit");
    }

    public static KvmUserVmgexit decode(byte[] b, int offset) {
        byte[] s = LeBytes.slice(b, offset, SIZE);
        return new KvmUserVmgexit(LeBytes.u32(s, TYPE), LeBytes.u64(s, DATA_GPA), LeBytes.u64(s, DATA_NPAGES),
                LeBytes.u32(s, RET), LeBytes.u8(s, FLAGS), LeBytes.u8(s, STATUS));
    }

    public static KvmUserVmgexit decode(ByteBuffer bb, int offset) {
        return decode(KvmRun.read(bb, offset, SIZE, "kvm_user_vmgexit"), 0);
    }
}
