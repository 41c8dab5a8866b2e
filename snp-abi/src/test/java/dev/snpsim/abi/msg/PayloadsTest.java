package dev.snpsim.abi.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.LeBytes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MSG_REPORT_REQ/RSP and MSG_KEY_REQ/RSP payloads. */
class PayloadsTest {

    @Test
    void reportRequestLayoutAndRoundTrip() {
        byte[] data = new byte[64];
        data[63] = 0x7f;
        ReportRequest r = new ReportRequest(data, 2, ReportRequest.KEY_SEL_VLEK);
        byte[] b = r.encode();
        assertThat(b).hasSize(0x60);
        assertThat(b[0x3f]).isEqualTo((byte) 0x7f);   // REPORT_DATA[63]
        assertThat(LeBytes.u32(b, 0x40)).isEqualTo(2); // VMPL
        assertThat(LeBytes.u32(b, 0x44)).isEqualTo(2); // KEY_SEL
        assertThat(ReportRequest.decode(b)).isEqualTo(r);
    }

    @Test
    void reportRequestRejectsReservedKeySelVmplAndReservedBytes() {
        byte[] b = new ReportRequest(new byte[64], 0, 0).encode();
        b[0x44] = 3;
        assertThatThrownBy(() -> ReportRequest.decode(b)).hasMessageContaining("key_sel at 0x44 is 3");
        byte[] c = new ReportRequest(new byte[64], 0, 0).encode();
        c[0x45] = 1;
        assertThatThrownBy(() -> ReportRequest.decode(c)).hasMessageContaining("reserved bits 31:2");
        byte[] d = new ReportRequest(new byte[64], 0, 0).encode();
        d[0x40] = 4;
        assertThatThrownBy(() -> ReportRequest.decode(d)).hasMessageContaining("vmpl at 0x40 is 4");
        byte[] e = new ReportRequest(new byte[64], 0, 0).encode();
        e[0x5f] = 1;
        assertThatThrownBy(() -> ReportRequest.decode(e)).hasMessageContaining("mbz range [0x48:0x60]");
        assertThatThrownBy(() -> ReportRequest.decode(new byte[0x5f])).hasMessageContaining("report request is 95 bytes");
    }

    @Test
    void reportResponseRoundTrips() {
        byte[] report = new byte[0x4a0];
        report[0] = 3;
        ReportResponse ok = ReportResponse.success(report);
        byte[] b = ok.encode();
        assertThat(b).hasSize(0x20 + 0x4a0);
        assertThat(LeBytes.u32(b, 4)).isEqualTo(0x4a0);
        assertThat(b[0x20]).isEqualTo((byte) 3);
        assertThat(ReportResponse.decode(b)).isEqualTo(ok);
        // a payload region larger than the response (the rest of the page) decodes too
        assertThat(ReportResponse.decode(Arrays.copyOf(b, 4000))).isEqualTo(ok);

        ReportResponse bad = ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS);
        assertThat(bad.encode()).hasSize(0x20);
        assertThat(ReportResponse.decode(bad.encode()).responseStatus()).isEqualTo(ResponseStatus.INVALID_PARAMETERS);
    }

    @Test
    void reportResponseRejectsBadStatusSizeAndReserved() {
        byte[] b = ReportResponse.success(new byte[0x4a0]).encode();
        b[0] = 0x15;
        assertThatThrownBy(() -> ReportResponse.decode(b)).hasMessageContaining("response status 0x15");
        byte[] c = ReportResponse.success(new byte[0x4a0]).encode();
        LeBytes.putU32(c, 4, 0x4a1);
        assertThatThrownBy(() -> ReportResponse.decode(c)).hasMessageContaining("only 0x4a0 bytes follow");
        byte[] d = ReportResponse.success(new byte[0x4a0]).encode();
        LeBytes.putU32(d, 4, 0x10);
        assertThatThrownBy(() -> ReportResponse.decode(d)).hasMessageContaining("on success (expected: 0x4a0)");
        byte[] e = ReportResponse.success(new byte[0x4a0]).encode();
        e[0x1f] = 1;
        assertThatThrownBy(() -> ReportResponse.decode(e)).hasMessageContaining("mbz range [0x8:0x20]");
    }

    @Test
    void keyRequestLayoutAndRoundTrip() {
        KeyRequest k = new KeyRequest(KeyRequest.ROOT_KEY_VMRK, 0x3f, 1, 0x11223344, 0x7308000000000003L);
        byte[] b = k.encode();
        assertThat(b).hasSize(0x20);
        assertThat(LeBytes.u32(b, 0x00)).isEqualTo(1);
        assertThat(LeBytes.u64(b, 0x08)).isEqualTo(0x3f);
        assertThat(LeBytes.u32(b, 0x10)).isEqualTo(1);
        assertThat(LeBytes.u32(b, 0x14)).isEqualTo(0x11223344);
        assertThat(LeBytes.u64(b, 0x18)).isEqualTo(0x7308000000000003L);
        assertThat(KeyRequest.decode(b)).isEqualTo(k);
    }

    @Test
    void keyRequestRejectsReservedFields() {
        byte[] b = new KeyRequest(0, 0, 0, 0, 0).encode();
        b[0x04] = 1;
        assertThatThrownBy(() -> KeyRequest.decode(b)).hasMessageContaining("mbz range [0x4:0x8]");
        byte[] c = new KeyRequest(0, 0, 0, 0, 0).encode();
        c[0x08] = 0x40;
        assertThatThrownBy(() -> KeyRequest.decode(c)).hasMessageContaining("reserved bits 63:6");
        byte[] d = new KeyRequest(0, 0, 0, 0, 0).encode();
        d[0x00] = 2;
        assertThatThrownBy(() -> KeyRequest.decode(d)).hasMessageContaining("root_key_select is 0x2");
    }

    @Test
    void keyResponseRoundTripsAndRejects() {
        byte[] key = new byte[32];
        key[31] = 9;
        KeyResponse k = new KeyResponse(0, key);
        byte[] b = k.encode();
        assertThat(b).hasSize(0x40);
        assertThat(b[0x3f]).isEqualTo((byte) 9);
        assertThat(KeyResponse.decode(b)).isEqualTo(k);
        b[0x10] = 1;
        assertThatThrownBy(() -> KeyResponse.decode(b)).hasMessageContaining("mbz range [0x4:0x20]");
    }
}
