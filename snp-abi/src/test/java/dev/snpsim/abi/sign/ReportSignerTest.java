package dev.snpsim.abi.sign;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.keys.TestKeys;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReportSignerTest {
    private static final TcbVersion TCB = TcbVersion.of(Product.MILAN, 0, 3, 0, 8, 0x73);

    private static AttestationReport unsigned(byte fill) {
        byte[] data = new byte[64];
        Arrays.fill(data, fill);
        return AttestationReport.builder().cpuidOf(Product.MILAN).reportedTcb(TCB)
                .chipId(TestKeys.chipId(Product.MILAN, 1)).reportData(data).build();
    }

    private static Vcek vcek() {
        return HIERARCHY.vcek(Product.MILAN, TestKeys.chipId(Product.MILAN, 1), TCB);
    }

    @Test
    void signedReportVerifiesWithTheKeyAndOnlyThatKey() {
        AttestationReport signed = ReportSigner.sign(unsigned((byte) 1), vcek().privateKey());
        assertThat(signed.signature().isZero()).isFalse();
        assertThat(ReportSigner.verifySignature(signed, vcek().publicKey())).isTrue();
        ECPublicKey other = P384.publicKey(BigInteger.valueOf(12345));
        assertThat(ReportSigner.verifySignature(signed, other)).isFalse();
    }

    @Test
    void signingIsDeterministicPerReportAndKey() {
        AttestationReport a = ReportSigner.sign(unsigned((byte) 1), vcek().privateKey());
        AttestationReport b = ReportSigner.sign(unsigned((byte) 1), vcek().privateKey());
        AttestationReport c = ReportSigner.sign(unsigned((byte) 2), vcek().privateKey());
        assertThat(b.encode()).isEqualTo(a.encode());
        assertThat(c.signature().r()).isNotEqualTo(a.signature().r());
    }

    @Test
    void signatureComponentsAreLittleEndianInTheirFields() {
        AttestationReport signed = ReportSigner.sign(unsigned((byte) 3), vcek().privateKey());
        byte[] enc = signed.encode();
        byte[] rLe = Arrays.copyOfRange(enc, 0x2a0, 0x2a0 + 48);
        byte[] rBe = new byte[48];
        for (int i = 0; i < 48; i++) {
            rBe[i] = rLe[47 - i];
        }
        assertThat(new BigInteger(1, rBe)).isEqualTo(signed.signature().r());
        assertThat(Arrays.copyOfRange(enc, 0x2a0 + 48, 0x2e8)).containsOnly(0);
        assertThat(signed.signature().s()).isLessThan(P384.order());
    }

    @Test
    void anyChangeToSignedBytesBreaksTheSignature() {
        AttestationReport signed = ReportSigner.sign(unsigned((byte) 1), vcek().privateKey());
        AttestationReport tampered = AttestationReport.decode(TestKeys.flip(signed.encode(), 0x50));
        assertThat(ReportSigner.verifySignature(tampered, vcek().publicKey())).isFalse();
    }

    @Test
    void realFirmwareDoesNotNormaliseToLowS() {
        AttestationReport r2 = AttestationReport.decode(TestKeys.realAmd("milan_report_2.bin"));
        assertThat(r2.signature().s()).isGreaterThan(P384.order().shiftRight(1));
        ECPublicKey key = (ECPublicKey) CertificateFiles.read(TestKeys.realAmd("milan_vcek_2.der")).getPublicKey();
        assertThat(ReportSigner.verifySignature(r2, key)).isTrue();
    }

    @Test
    void realMilanReportsVerifyWithTheirVceks() {
        for (int i = 1; i <= 2; i++) {
            AttestationReport r = AttestationReport.decode(TestKeys.realAmd("milan_report_" + i + ".bin"));
            ECPublicKey key = (ECPublicKey) CertificateFiles.read(TestKeys.realAmd("milan_vcek_" + i + ".der"))
                    .getPublicKey();
            assertThat(ReportSigner.verifySignature(r, key)).as("report %d", i).isTrue();
        }
        AttestationReport r1 = AttestationReport.decode(TestKeys.realAmd("milan_report_1.bin"));
        ECPublicKey key2 = (ECPublicKey) CertificateFiles.read(TestKeys.realAmd("milan_vcek_2.der")).getPublicKey();
        assertThat(ReportSigner.verifySignature(r1, key2)).isFalse();
    }
}
