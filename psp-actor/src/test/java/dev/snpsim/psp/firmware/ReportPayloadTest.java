package dev.snpsim.psp.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.psp.GuestSession;
import java.security.interfaces.ECPrivateKey;
import org.junit.jupiter.api.Test;

/** The report payload built in one buffer is the one the encode-sign-encode-frame chain built; results copy at their edges. */
class ReportPayloadTest {

    @Test
    void thePayloadIsWhatSigningAndFramingTheReportGives() {
        Fixture f = new Fixture(FirmwareConfig.of(Fixture.P, Fixture.KEYS, 9, Fixture.V1, Fixture.TCB1)
                .withReportVersion(5));
        f.launch("vm");
        GuestContext g = f.fw.guest("vm");
        AttestationReport unsigned = new ReportFactory(f.fw).build(g, GuestSession.data(3), 1, SigningKey.VCEK);
        ECPrivateKey key = Fixture.KEYS.vcekPrivateKey(Fixture.P, FirmwareConfig.chipIdOf(Fixture.P, 9), Fixture.TCB1);

        byte[] payload = GuestRequests.reportPayload(unsigned, P384.toParameters(key));
        byte[] before = ReportResponse.success(ReportSigner.sign(unsigned, key).encode()).encode();
        assertThat(payload).isEqualTo(before);

        byte[] plain = GuestRequests.reportPayload(unsigned, null);
        assertThat(plain).isEqualTo(ReportResponse.success(unsigned.encode()).encode());
        assertThat(AttestationReport.decode(ReportResponse.decode(payload).report()).reportData())
                .isEqualTo(GuestSession.data(3));
    }

    @Test
    void theReportCopiesTheFirmwaresArrays() {
        Fixture f = new Fixture();
        f.launch("vm");
        GuestContext g = f.fw.guest("vm");
        AttestationReport r = new ReportFactory(f.fw).build(g, GuestSession.data(3), 0, SigningKey.VCEK);
        byte[] chip = r.chipId();
        chip[0] ^= 1;
        assertThat(f.fw.config().chipId()).isEqualTo(r.chipId()).isNotEqualTo(chip);
        assertThat(r.hostData()).isEqualTo(Fixture.hostData()).isEqualTo(g.hostData());
        assertThat(r.reportId()).isEqualTo(g.reportId());
        assertThat(r.measurement()).isEqualTo(g.measurement());
    }

    @Test
    void resultsCopyAtThePublicEdgesOnly() {
        byte[] page = {1, 2, 3};
        FirmwareResult copied = FirmwareResult.success(page);
        page[0] = 9;
        assertThat(copied.page()).containsExactly(1, 2, 3);
        assertThat(copied.page()).isNotSameAs(copied.page());
        assertThat(copied.pageShared()).isSameAs(copied.pageShared()).containsExactly(1, 2, 3);
        assertThat(new FirmwareResult(FirmwareStatus.SUCCESS, page).page()).containsExactly(9, 2, 3);

        byte[] fresh = {4, 5};
        FirmwareResult owning = FirmwareResult.successOwning(fresh);
        assertThat(owning.pageShared()).isSameAs(fresh);
        assertThat(owning.ok()).isTrue();
        assertThat(FirmwareResult.of(FirmwareStatus.INVALID_PARAM).page()).isNull();
        assertThat(FirmwareResult.of(FirmwareStatus.INVALID_PARAM)).isEqualTo(FirmwareResult.of(FirmwareStatus.INVALID_PARAM));
        assertThat(owning.toString()).isEqualTo("FirmwareResult[SUCCESS, 2 bytes]");
    }
}
