package dev.snpsim.abi.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reports produced by real Milan processors decode, and re-encode byte for byte. */
class RealReportTest {

    @Test
    void milanReport1DecodesFieldsSeenWithXxd() {
        byte[] bytes = TestData.realAmd("milan_report_1.bin");
        AttestationReport r = AttestationReport.decode(bytes);

        // 0x000: 02 00 00 00                     VERSION 2
        assertThat(r.version()).isEqualTo(2);
        // 0x008: 00 00 03 00 00 00 00 00         POLICY 0x30000: SMT, reserved bit 17
        assertThat(r.policy().raw()).isEqualTo(0x30000L);
        assertThat(r.policy().smt()).isTrue();
        assertThat(r.policy().debug()).isFalse();
        // 0x034: 01 00 00 00                     SIGNATURE_ALGO 1
        assertThat(r.signatureAlgo()).isEqualTo(1);
        // 0x038: 03 00 00 00 00 00 08 73         CURRENT_TCB: BL 3, TEE 0, SNP 8, UCODE 0x73
        assertThat(r.currentTcb().raw()).isEqualTo(0x7308000000000003L);
        assertThat(r.currentTcb().components(Product.MILAN))
                .isEqualTo(new TcbVersion.Components(0, 3, 0, 8, 0x73));
        // 0x040: 01 00 ...                       PLATFORM_INFO: SMT_EN
        assertThat(r.platformInfo().smtEnabled()).isTrue();
        assertThat(r.platformInfo().unknownBits()).isZero();
        // 0x048: 00 00 00 00                     signed by the VCEK
        assertThat(r.signerInfo()).isEqualTo(SignerInfo.VCEK);
        // 0x050: d4 47 b5 5d ...                 REPORT_DATA
        assertThat(Hex.of(Arrays.copyOf(r.reportData(), 4))).isEqualTo("d447b55d");
        // 0x090: 7a 1e 5c 26 ...                 MEASUREMENT
        assertThat(Hex.of(Arrays.copyOf(r.measurement(), 4))).isEqualTo("7a1e5c26");
        // 0x160: ff x 32                         REPORT_ID_MA: no migration agent
        assertThat(r.reportIdMa()).containsOnly((byte) 0xff);
        // 0x1a0: d4 95 54 ec ...                 CHIP_ID
        assertThat(Hex.of(Arrays.copyOf(r.chipId(), 4))).isEqualTo("d49554ec");
        // 0x1e8: 04 34 01                        CURRENT build 4, minor 0x34, major 1
        assertThat(r.currentBuild()).isEqualTo(4);
        assertThat(r.currentMinor()).isEqualTo(0x34);
        assertThat(r.currentMajor()).isEqualTo(1);
        // 0x2a0: 61 ab 4f 11 ...                 R, little-endian
        assertThat(r.signature().r().and(BigInteger.valueOf(0xffffffffL)).longValue()).isEqualTo(0x114fab61L);
        assertThat(r.productFromCpuid()).isNull(); // version 2: no CPUID fields

        assertThat(r.encode()).isEqualTo(bytes);
    }

    @Test
    void milanReport2DecodesFieldsSeenWithXxd() {
        byte[] bytes = TestData.realAmd("milan_report_2.bin");
        AttestationReport r = AttestationReport.decode(bytes);

        // 0x008: 00 00 0b 00                     POLICY 0xb0000: SMT, reserved, DEBUG
        assertThat(r.policy().debug()).isTrue();
        // 0x038: 02 00 00 00 00 00 05 44         CURRENT_TCB: BL 2, SNP 5, UCODE 0x44
        assertThat(r.currentTcb().components(Product.MILAN))
                .isEqualTo(new TcbVersion.Components(0, 2, 0, 5, 0x44));
        // 0x050: 01 02 03 04 05 00 ...           REPORT_DATA
        assertThat(Arrays.copyOf(r.reportData(), 6)).containsExactly(1, 2, 3, 4, 5, 0);
        // 0x1ec: 03 31 01                        COMMITTED 1.49 build 3
        assertThat(r.committedMajor()).isEqualTo(1);
        assertThat(r.committedMinor()).isEqualTo(0x31);
        assertThat(r.committedBuild()).isEqualTo(3);
        // REPORTED <= COMMITTED <= CURRENT
        assertThat(r.reportedTcb().atMost(r.committedTcb(), Product.MILAN)).isTrue();
        assertThat(r.committedTcb().atMost(r.currentTcb(), Product.MILAN)).isTrue();

        assertThat(r.encode()).isEqualTo(bytes);
        assertThat(r.signedBytes()).isEqualTo(Arrays.copyOf(bytes, 0x2a0));
    }

    @Test
    void realReportsAreDifferentAndEqualToThemselves() {
        AttestationReport a = AttestationReport.decode(TestData.realAmd("milan_report_1.bin"));
        AttestationReport b = AttestationReport.decode(TestData.realAmd("milan_report_2.bin"));
        assertThat(a).isNotEqualTo(b);
        assertThat(a).isEqualTo(AttestationReport.decode(a.encode())).hasSameHashCodeAs(AttestationReport.decode(a.encode()));
        assertThat(a.toString()).contains("chipId=d49554ec");
    }
}
