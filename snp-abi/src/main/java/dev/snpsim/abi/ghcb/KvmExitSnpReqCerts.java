package dev.snpsim.abi.ghcb;

import dev.snpsim.abi.LeBytes;
import java.nio.ByteBuffer;

/**
 * {@code struct kvm_exit_snp_req_certs} as merged upstream, exit reason
 * {@link KvmRun#KVM_EXIT_SNP_REQ_CERTS}, in the kvm_run exit union (24 bytes):
 *
 * <pre>
 *   0x00 gpa u64      certificate buffer, page aligned
 *   0x08 npages u64   userspace writes the pages needed on ENOSPC
 *   0x10 ret u64      0, ENOSPC, EAGAIN or EIO; anything else fails the next KVM_RUN
 * </pre>
 */
public record KvmExitSnpReqCerts(long gpa, long npages, long ret) {
    public static final int SIZE = 24;

    static final int GPA = 0x00;
    static final int NPAGES = 0x08;
    static final int RET = 0x10;

    public KvmExitSnpReqCerts withRet(long newRet) {
        return new KvmExitSnpReqCerts(gpa, npages, newRet);
    }

    public KvmExitSnpReqCerts withNpages(long newNpages) {
        return new KvmExitSnpReqCerts(gpa, newNpages, ret);
    }

    /** True where {@code ret} is one KVM accepts: 0, ENOSPC, EAGAIN or EIO. */
    public boolean retIsValid() {
        return ret == 0 || ret == Errno.ENOSPC || ret == Errno.EAGAIN || ret == Errno.EIO;
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.putU64(b, GPA, gpa);
        LeBytes.putU64(b, NPAGES, npages);
        LeBytes.putU64(b, RET, ret);
        return b;
    }

    public void writeTo(ByteBuffer bb, int offset) {
        KvmRun.write(bb, offset, encode(), "kvm_exit_snp_req_certs");
    }

    public static KvmExitSnpReqCerts decode(byte[] b, int offset) {
        byte[] s = LeBytes.slice(b, offset, SIZE);
        return new KvmExitSnpReqCerts(LeBytes.u64(s, GPA), LeBytes.u64(s, NPAGES), LeBytes.u64(s, RET));
    }

    public static KvmExitSnpReqCerts decode(ByteBuffer bb, int offset) {
        return decode(KvmRun.read(bb, offset, SIZE, "kvm_exit_snp_req_certs"), 0);
    }
}
