package dev.snpsim.abi.ghcb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The three certificate-exit structures, byte for byte as they sit in kvm_run's exit union. */
class KvmExitsTest {

    @Test
    void v15VmgexitBytes() {
        KvmUserVmgexit x = new KvmUserVmgexit(1, 0x1_2345_6000L, 4, KvmUserVmgexit.RET_INVALID_LEN,
                KvmUserVmgexit.FLAG_NOTIFY_DONE, KvmUserVmgexit.STATUS_DONE);
        assertThat(Hex.of(x.encode())).isEqualTo(
                "01000000" + "00000000"            // 0x00 type = REQ_CERTS, padding
                + "0060452301000000"               // 0x08 data_gpa 0x1_2345_6000
                + "0400000000000000"               // 0x10 data_npages
                + "01000000"                       // 0x18 ret = INVALID_LEN
                + "01" + "01" + "0000");           // 0x1c flags NOTIFY_DONE, 0x1d status DONE, padding
        assertThat(KvmUserVmgexit.decode(x.encode(), 0)).isEqualTo(x);
        assertThat(x.notifyDone()).isTrue();
    }

    @Test
    void cocoExitBytes() {
        KvmExitCoco x = KvmExitCoco.reqCerts(0x12345, 4).withRet(Errno.ENOSPC).withNpages(6);
        assertThat(Hex.of(x.encode())).isEqualTo(
                "00" + "00000000000000"            // 0x00 nr = REQ_CERTS, pad0[7]
                + "1c000000" + "00000000"          // 0x08 ret = ENOSPC (28), pad1
                + "4523010000000000"               // 0x10 gfn
                + "06000000" + "00000000");        // 0x18 npages, padding
        assertThat(KvmExitCoco.decode(x.encode(), 0)).isEqualTo(x);
    }

    @Test
    void upstreamReqCertsBytes() {
        KvmExitSnpReqCerts x = new KvmExitSnpReqCerts(0xabc000L, 2, Errno.EAGAIN);
        assertThat(Hex.of(x.encode())).isEqualTo(
                "00c0ab0000000000"                 // 0x00 gpa
                + "0200000000000000"               // 0x08 npages
                + "0b00000000000000");             // 0x10 ret = EAGAIN
        assertThat(KvmExitSnpReqCerts.decode(x.encode(), 0)).isEqualTo(x);
        assertThat(x.retIsValid()).isTrue();
        assertThat(x.withRet(Errno.EINVAL).retIsValid()).isFalse();
    }

    @Test
    void structuresReadAndWriteAtTheExitUnionOfAKvmRunBuffer() {
        ByteBuffer run = ByteBuffer.allocate(4096);
        KvmExitSnpReqCerts x = new KvmExitSnpReqCerts(0x7000, 3, 0);
        x.writeTo(run, KvmRun.EXIT_UNION_OFFSET);
        assertThat(run.get(0x20)).isEqualTo((byte) 0x00);
        assertThat(run.get(0x21)).isEqualTo((byte) 0x70);
        assertThat(KvmExitSnpReqCerts.decode(run, KvmRun.EXIT_UNION_OFFSET)).isEqualTo(x);
        KvmExitCoco c = KvmExitCoco.reqCerts(7, 1);
        c.writeTo(run, KvmRun.EXIT_UNION_OFFSET);
        assertThat(KvmExitCoco.decode(run, KvmRun.EXIT_UNION_OFFSET)).isEqualTo(c);
        KvmUserVmgexit v = KvmUserVmgexit.pending(0x9000, 1);
        v.writeTo(run, KvmRun.EXIT_UNION_OFFSET);
        assertThat(KvmUserVmgexit.decode(run, KvmRun.EXIT_UNION_OFFSET)).isEqualTo(v);
    }

    @Test
    void kvmRunFacts() {
        assertThat(KvmRun.EXIT_UNION_OFFSET).isEqualTo(32);
        assertThat(KvmRun.EXIT_REASON_OFFSET).isEqualTo(8);
        assertThat(KvmRun.KVM_EXIT_SNP_REQ_CERTS).isEqualTo(43);
        assertThat(KvmRun.KVM_CAP_EXIT_COCO).isEqualTo(239);
    }

    @Test
    void rejectsMalformedExits() {
        byte[] v = KvmUserVmgexit.pending(0, 1).encode();
        v[0] = 2;
        assertThatThrownBy(() -> KvmUserVmgexit.decode(v, 0)).isInstanceOf(AbiException.class)
                .hasMessageContaining("type is 2");
        byte[] f = KvmUserVmgexit.pending(0, 1).encode();
        f[0x1c] = 2;
        assertThatThrownBy(() -> KvmUserVmgexit.decode(f, 0)).hasMessageContaining("flags is 0x2");
        byte[] s = KvmUserVmgexit.pending(0, 1).encode();
        s[0x1d] = 2;
        assertThatThrownBy(() -> KvmUserVmgexit.decode(s, 0)).hasMessageContaining("status is 2");
        byte[] c = KvmExitCoco.reqCerts(0, 1).encode();
        c[0] = 1;
        assertThatThrownBy(() -> KvmExitCoco.decode(c, 0)).hasMessageContaining("nr is 1");
        assertThatThrownBy(() -> KvmExitSnpReqCerts.decode(new byte[30], 8)).hasMessageContaining("outside a 30-byte buffer");
        assertThatThrownBy(() -> KvmExitCoco.decode(ByteBuffer.allocate(40), 16)).hasMessageContaining("buffer ends at 0x28");
    }
}
