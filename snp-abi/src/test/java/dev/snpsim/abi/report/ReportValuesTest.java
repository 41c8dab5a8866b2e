package dev.snpsim.abi.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** TCB_VERSION, policy, platform info, signer info and signature values. */
class ReportValuesTest {

    @Test
    void milanAndGenoaTcbLayout() {
        // byte0 BL=3, byte1 TEE=0, bytes2-5 reserved, byte6 SNP=8, byte7 UCODE=0x73
        TcbVersion t = TcbVersion.of(Product.MILAN, 0, 3, 0, 8, 0x73);
        assertThat(t.raw()).isEqualTo(0x7308000000000003L);
        assertThat(t.components(Product.GENOA)).isEqualTo(new TcbVersion.Components(0, 3, 0, 8, 0x73));
        assertThat(t.toString()).isEqualTo("0x7308000000000003");
    }

    @Test
    void turinTcbLayout() {
        // byte0 FMC=1, byte1 BL=2, byte2 TEE=3, byte3 SNP=4, bytes4-6 reserved, byte7 UCODE=0xfe
        TcbVersion t = TcbVersion.of(Product.TURIN, 1, 2, 3, 4, 0xfe);
        assertThat(t.raw()).isEqualTo(0xfe00000004030201L);
        assertThat(t.raw()).isNegative(); // all 64 bits used: unsigned in a signed long
        assertThat(t.components(Product.TURIN)).isEqualTo(new TcbVersion.Components(1, 2, 3, 4, 0xfe));
        assertThat(t.reservedBits(Product.TURIN)).isZero();
        assertThat(t.reservedBits(Product.MILAN)).isNotZero(); // same bits read as Milan hit reserved bytes
    }

    @Test
    void fmcIsOnlyForTurin() {
        assertThatThrownBy(() -> TcbVersion.of(Product.GENOA, 1, 0, 0, 0, 0))
                .isInstanceOf(AbiException.class).hasMessage("fmc is 1 but genoa has no fmc component (expected: 0)");
    }

    @Test
    void tcbComponentsAreBytes() {
        assertThatThrownBy(() -> TcbVersion.of(Product.MILAN, 0, 256, 0, 0, 0)).hasMessage("tcb bootloader is 256 (expected: 0..255)");
    }

    @Test
    void atMostIsComponentWise() {
        TcbVersion low = TcbVersion.of(Product.MILAN, 0, 3, 0, 8, 0x73);
        TcbVersion high = TcbVersion.of(Product.MILAN, 0, 3, 0, 9, 0x73);
        TcbVersion mixed = TcbVersion.of(Product.MILAN, 0, 4, 0, 7, 0x73);
        assertThat(low.atMost(high, Product.MILAN)).isTrue();
        assertThat(high.atMost(low, Product.MILAN)).isFalse();
        assertThat(low.atMost(low, Product.MILAN)).isTrue();
        assertThat(mixed.atMost(high, Product.MILAN)).isFalse(); // BL higher, SNP lower: not <=
        // 0xff microcode is larger than 0x01, though the raw long is negative
        assertThat(TcbVersion.of(Product.MILAN, 0, 0, 0, 0, 1)
                .atMost(TcbVersion.of(Product.MILAN, 0, 0, 0, 0, 0xff), Product.MILAN)).isTrue();
    }

    @Test
    void policyBits() {
        GuestPolicy p = new GuestPolicy(0x3e3_0000L); // bits 16, 17, 21..25
        assertThat(p.smt()).isTrue();
        assertThat(p.migrateMa()).isFalse();
        assertThat(p.debug()).isFalse();
        assertThat(p.singleSocket()).isFalse();
        assertThat(p.cxlAllow()).isTrue();
        assertThat(p.memAes256Xts()).isTrue();
        assertThat(p.raplDis()).isTrue();
        assertThat(p.ciphertextHiding()).isTrue();
        assertThat(p.pageSwapDisable()).isTrue();
        GuestPolicy q = GuestPolicy.DEFAULT.withAbi(1, 51).withMigrateMa(true).withSingleSocket(true).withSmt(false);
        assertThat(q.raw()).isEqualTo((1L << 17) | (1L << 18) | (1L << 20) | (1 << 8) | 51);
        assertThat(q.abiMajor()).isEqualTo(1);
        assertThat(q.abiMinor()).isEqualTo(51);
    }

    @Test
    void policyRejectsMissingReservedOneAndHighBits() {
        assertThatThrownBy(() -> new GuestPolicy(0)).hasMessageContaining("bit 17 is reserved and must be 1");
        assertThatThrownBy(() -> new GuestPolicy(0x30000L | (1L << 26))).hasMessageContaining("reserved bits 63:26");
    }

    @Test
    void platformInfoReportsUnknownBitsWithoutRejecting() {
        PlatformInfo turin = new PlatformInfo(0x65); // SMT, ECC, ALIAS_CHECK_COMPLETE, bit 6
        assertThat(turin.smtEnabled()).isTrue();
        assertThat(turin.eccEnabled()).isTrue();
        assertThat(turin.aliasCheckComplete()).isTrue();
        assertThat(turin.iommuWriteSafe()).isTrue();
        assertThat(turin.unknownBits()).isZero();
        PlatformInfo future = new PlatformInfo(0x301);
        assertThat(future.unknownBits()).isEqualTo(0x300);
        byte[] b = AttestationReport.builder().platformInfo(future).build().encode();
        assertThat(AttestationReport.decode(b).platformInfo().unknownBits()).isEqualTo(0x300);
    }

    @Test
    void signerInfoRoundTripsAndRejectsReserved() {
        for (SigningKey k : SigningKey.values()) {
            for (int flags = 0; flags < 4; flags++) {
                SignerInfo s = new SignerInfo((flags & 1) != 0, (flags & 2) != 0, k);
                assertThat(SignerInfo.decode(s.encode())).isEqualTo(s);
            }
        }
        assertThat(new SignerInfo(false, true, SigningKey.NONE).encode()).isEqualTo(0b11110);
        for (int key = 2; key <= 6; key++) {
            int raw = key << 2;
            assertThatThrownBy(() -> SignerInfo.decode(raw)).hasMessageContaining("signing_key is " + key);
        }
        assertThatThrownBy(() -> SignerInfo.decode(1 << 31)).hasMessageContaining("reserved bits 31:5");
    }

    @Test
    void signatureIsLittleEndianInSeventyTwoByteFields() {
        BigInteger r = new BigInteger("0102030405", 16);
        ReportSignature sig = new ReportSignature(r, BigInteger.valueOf(0xff));
        byte[] f = sig.encode();
        assertThat(f).hasSize(512);
        assertThat(f[0]).isEqualTo((byte) 0x05);
        assertThat(f[4]).isEqualTo((byte) 0x01);
        assertThat(f[5]).isZero();
        assertThat(f[0x48]).isEqualTo((byte) 0xff);
        assertThat(ReportSignature.decode(f)).isEqualTo(sig);
        assertThat(ReportSignature.decode(ReportSignature.zero().encode()).isZero()).isTrue();
    }

    @Test
    void signatureRejectsTailAndOversizeValues() {
        byte[] f = new byte[512];
        f[0x90] = 1;
        assertThatThrownBy(() -> ReportSignature.decode(f)).hasMessageContaining("mbz range [0x90:0x200]");
        assertThatThrownBy(() -> new ReportSignature(BigInteger.TWO.pow(576), BigInteger.ONE))
                .hasMessageContaining("does not fit a 72-byte");
        assertThatThrownBy(() -> new ReportSignature(BigInteger.valueOf(-1), BigInteger.ONE))
                .hasMessageContaining("does not fit a 72-byte");
        // the largest value that fits survives a round trip
        BigInteger max = BigInteger.TWO.pow(576).subtract(BigInteger.ONE);
        assertThat(ReportSignature.decode(new ReportSignature(max, max).encode()).r()).isEqualTo(max);
    }
}
