package dev.snpsim.abi.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoding of a decoded report is the bytes it was decoded from: what lets a verifier check
 * the signature over the first 0x2A0 bytes as received instead of re-encoding. Also the no-copy
 * writers ({@link AttestationReport#encodeInto}, {@link ReportSignature#encodeInto}) against the
 * allocating ones.
 */
class ReportRoundTripTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void aDecodedReportEncodesToTheBytesItCameFrom(int version) {
        byte[] b = AttestationReportTest.full(version).build().encode();
        AttestationReport.validate(b);
        AttestationReport r = AttestationReport.decode(b);
        assertThat(r.encode()).isEqualTo(b);
        assertThat(r.signedBytes()).isEqualTo(Arrays.copyOf(b, 0x2a0));
    }

    @Test
    void realReportsEncodeToTheBytesTheyCameFrom() {
        for (String name : new String[] {"milan_report_1.bin", "milan_report_2.bin"}) {
            byte[] b = TestData.realAmd(name);
            AttestationReport.validate(b);
            assertThat(AttestationReport.decode(b).encode()).as(name).isEqualTo(b);
        }
    }

    @Test
    void validateFailsWithDecodesMessage() {
        byte[] b = AttestationReportTest.full(3).build().encode();
        b[0x4d] = 1;
        assertThatThrownBy(() -> AttestationReport.validate(b)).isInstanceOf(AbiException.class)
                .hasMessage("report reserved after signer info: mbz range [0x4c:0x50] not all zero (0x4d is 0x01)");
        assertThatThrownBy(() -> AttestationReport.decode(b)).hasMessage(
                "report reserved after signer info: mbz range [0x4c:0x50] not all zero (0x4d is 0x01)");
        assertThatThrownBy(() -> AttestationReport.validate(new byte[10])).isInstanceOf(AbiException.class)
                .hasMessageContaining("report is 10 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void encodeIntoWritesTheEncodingAtAnOffsetAndNothingElse(int version) {
        AttestationReport r = AttestationReportTest.full(version).build();
        byte[] buf = new byte[0x20 + AttestationReport.SIZE + 7];
        Arrays.fill(buf, (byte) 0xaa);
        r.encodeInto(buf, 0x20);
        assertThat(Arrays.copyOfRange(buf, 0x20, 0x20 + AttestationReport.SIZE)).isEqualTo(r.encode());
        assertThat(Arrays.copyOf(buf, 0x20)).containsOnly((byte) 0xaa);
        assertThat(Arrays.copyOfRange(buf, 0x20 + AttestationReport.SIZE, buf.length)).containsOnly((byte) 0xaa);
        assertThatThrownBy(() -> r.encodeInto(new byte[AttestationReport.SIZE], 1)).isInstanceOf(AbiException.class);
        assertThatThrownBy(() -> r.encodeInto(buf, -1)).isInstanceOf(AbiException.class);
    }

    @Test
    void withSignatureIsTheBuilderRoundTripAndCopies() {
        AttestationReport r = AttestationReportTest.full(5).build();
        ReportSignature sig = new ReportSignature(BigInteger.valueOf(77), BigInteger.valueOf(88));
        AttestationReport w = r.withSignature(sig);
        assertThat(w).isEqualTo(r.toBuilder().signature(sig).build());
        assertThat(w.signature()).isEqualTo(sig);
        assertThat(w.signedBytes()).isEqualTo(r.signedBytes());
        byte[] data = w.reportData();
        data[0] ^= 1;
        assertThat(w.reportData()).isEqualTo(r.reportData());
    }

    @Test
    void builderDoesNotShareItsDefaultsWithTheReports() {
        AttestationReport a = AttestationReport.builder().build();
        byte[] chip = a.chipId();
        chip[0] = 9;
        assertThat(AttestationReport.builder().build().chipId()).containsOnly((byte) 0);
        assertThat(a.toBuilder().build().chipId()).containsOnly((byte) 0);
    }

    @Test
    void signatureFieldDecodesInPlaceAndEncodesOverOldBytes() {
        ReportSignature sig = new ReportSignature(BigInteger.TWO.pow(383).add(BigInteger.ONE), BigInteger.valueOf(0x1234));
        byte[] report = AttestationReportTest.full(3).signature(sig).build().encode();
        assertThat(ReportSignature.decode(report, 0x2a0)).isEqualTo(sig);
        assertThat(ReportSignature.decode(Arrays.copyOfRange(report, 0x2a0, 0x4a0))).isEqualTo(sig);
        byte[] dirty = new byte[600];
        Arrays.fill(dirty, (byte) 0x5c);
        sig.encodeInto(dirty, 40);
        assertThat(Arrays.copyOfRange(dirty, 40, 40 + 512)).isEqualTo(sig.encode());
        assertThat(Arrays.copyOf(dirty, 40)).containsOnly((byte) 0x5c);
        report[0x4a0 - 1] = 1;
        assertThatThrownBy(() -> ReportSignature.decode(report, 0x2a0)).isInstanceOf(AbiException.class)
                .hasMessageContaining("signature reserved tail");
        assertThatThrownBy(() -> ReportSignature.decode(report, 0x2a1)).isInstanceOf(AbiException.class);
    }
}
