package dev.snpsim.abi.sign;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.keys.TestKeys;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.ReportSignature;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signing and verifying reports in their encoding: the same bytes and answers as the record paths. */
class ReportSignerEncodedTest {
    private static final TcbVersion TCB = TcbVersion.of(Product.MILAN, 0, 3, 0, 8, 0x73);

    private static AttestationReport unsigned(int version, int fill) {
        byte[] data = new byte[64];
        Arrays.fill(data, (byte) fill);
        var b = AttestationReport.builder().version(version).reportedTcb(TCB)
                .chipId(TestKeys.chipId(Product.MILAN, 1)).reportData(data);
        if (version >= 3) {
            b.cpuidOf(Product.MILAN);
        }
        if (version >= 5) {
            b.currentMitVector(5);
        }
        return b.build();
    }

    private static Vcek vcek() {
        return HIERARCHY.vcek(Product.MILAN, TestKeys.chipId(Product.MILAN, 1), TCB);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void signEncodedWritesWhatSignThenEncodeWrites(int version) {
        AttestationReport unsigned = unsigned(version, 7);
        byte[] buf = new byte[0x20 + AttestationReport.SIZE];
        Arrays.fill(buf, (byte) 0x33);
        unsigned.encodeInto(buf, 0x20);
        ReportSignature sig = ReportSigner.signEncoded(buf, 0x20, P384.toParameters(vcek().privateKey()));
        AttestationReport signed = ReportSigner.sign(unsigned, vcek().privateKey());
        assertThat(sig).isEqualTo(signed.signature());
        assertThat(Arrays.copyOfRange(buf, 0x20, buf.length)).isEqualTo(signed.encode());
        assertThat(Arrays.copyOf(buf, 0x20)).containsOnly((byte) 0x33);
        assertThatThrownBy(() -> ReportSigner.signEncoded(new byte[AttestationReport.SIZE], 1,
                P384.toParameters(vcek().privateKey()))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void verifyEncodedAnswersAsVerifySignatureOfTheDecodedReport(int version) {
        byte[] wire = ReportSigner.sign(unsigned(version, 9), vcek().privateKey()).encode();
        ECPublicKey good = vcek().publicKey();
        ECPublicKey other = P384.publicKey(BigInteger.valueOf(12345));
        assertThat(ReportSigner.verifyEncoded(wire, good)).isTrue();
        assertThat(ReportSigner.verifyEncoded(wire, other)).isFalse();
        for (int at : new int[] {0x4, 0x50, 0x1a0, 0x1e0, 0x2a0, 0x2e8}) {
            byte[] tampered = TestKeys.flip(wire, at);
            boolean viaRecord = ReportSigner.verifySignature(AttestationReport.decode(tampered), good);
            assertThat(ReportSigner.verifyEncoded(tampered, good)).as("flip at 0x%x", at).isEqualTo(viaRecord).isFalse();
        }
        byte[] malformed = wire.clone();
        malformed[0x4c] = 1;
        assertThatThrownBy(() -> ReportSigner.verifyEncoded(malformed, good)).isInstanceOf(AbiException.class)
                .hasMessageContaining("0x4c");
    }

    @Test
    void realMilanReportsVerifyInTheirEncoding() {
        for (int i = 1; i <= 2; i++) {
            byte[] wire = TestKeys.realAmd("milan_report_" + i + ".bin");
            ECPublicKey key = (ECPublicKey) CertificateFiles.read(TestKeys.realAmd("milan_vcek_" + i + ".der"))
                    .getPublicKey();
            assertThat(ReportSigner.verifyEncoded(wire, key)).isTrue();
        }
        ECPublicKey key2 = (ECPublicKey) CertificateFiles.read(TestKeys.realAmd("milan_vcek_2.der")).getPublicKey();
        assertThat(ReportSigner.verifyEncoded(TestKeys.realAmd("milan_report_1.bin"), key2)).isFalse();
    }
}
