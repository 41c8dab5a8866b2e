package dev.snpsim.abi.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import dev.snpsim.abi.Product;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttestationReportTest {


    static ReportBuilder full(int version) {
        ReportBuilder b = AttestationReport.builder()
                .version(version)
                .guestSvn(0xA1B2C3D4)
                .policy(GuestPolicy.DEFAULT.withAbi(1, 55).withDebug(true))
                .familyId(fill(16, 0x10))
                .imageId(fill(16, 0x20))
                .vmpl(2)
                .currentTcb(TcbVersion.of(Product.GENOA, 0, 9, 0, 21, 0xd4))
                .platformInfo(new PlatformInfo(0x25))
                .signerInfo(new SignerInfo(true, false, SigningKey.VLEK))
                .reportData(fill(64, 0x50))
                .measurement(fill(48, 0x90))
                .hostData(fill(32, 0xc0))
                .idKeyDigest(fill(48, 0xe0))
                .authorKeyDigest(fill(48, 0x11))
                .reportId(fill(32, 0x14))
                .reportIdMa(fill(32, 0x16))
                .reportedTcb(TcbVersion.of(Product.GENOA, 0, 7, 0, 14, 0x48))
                .chipId(fill(64, 0x1a))
                .committedTcb(TcbVersion.of(Product.GENOA, 0, 8, 0, 20, 0xd0))
                .currentBuild(5).currentMinor(55).currentMajor(1)
                .committedBuild(4).committedMinor(54).committedMajor(1)
                .launchTcb(TcbVersion.of(Product.GENOA, 0, 8, 0, 20, 0xd0))
                .signature(new ReportSignature(BigInteger.valueOf(0x1234), BigInteger.TWO.pow(383)));
        if (version >= 3) {
            b.cpuidOf(Product.GENOA);
        }
        if (version >= 5) {
            b.launchMitVector(0x8000_0000_0000_0001L).currentMitVector(3);
        }
        return b;
    }

    static byte[] fill(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void everyVersionRoundTrips(int version) {
        AttestationReport r = full(version).build();
        byte[] bytes = r.encode();
        assertThat(bytes).hasSize(0x4a0);
        AttestationReport back = AttestationReport.decode(bytes);
        assertThat(back).isEqualTo(r);
        assertThat(back.encode()).isEqualTo(bytes);
    }

    @Test
    void fieldsLandAtTheirSpecOffsets() {
        byte[] b = full(5).build().encode();
        assertThat(LeBytes.u32(b, 0x000)).isEqualTo(5);
        assertThat(LeBytes.u32(b, 0x004)).isEqualTo(0xA1B2C3D4);
        assertThat(LeBytes.u64(b, 0x008)).isEqualTo(0xB0000L | (1 << 8) | 55);
        assertThat(b[0x010]).isEqualTo((byte) 0x10);
        assertThat(b[0x020]).isEqualTo((byte) 0x20);
        assertThat(LeBytes.u32(b, 0x030)).isEqualTo(2);
        assertThat(LeBytes.u32(b, 0x034)).isEqualTo(1);
        // Genoa layout: BL byte 0, SNP byte 6, UCODE byte 7
        assertThat(LeBytes.u64(b, 0x038)).isEqualTo(0xd415000000000009L);
        assertThat(LeBytes.u64(b, 0x040)).isEqualTo(0x25L);
        assertThat(LeBytes.u32(b, 0x048)).isEqualTo(0b00101); // author key, VLEK (1 << 2)
        assertThat(b[0x050]).isEqualTo((byte) 0x50);
        assertThat(b[0x090]).isEqualTo((byte) 0x90);
        assertThat(b[0x0c0]).isEqualTo((byte) 0xc0);
        assertThat(b[0x0e0]).isEqualTo((byte) 0xe0);
        assertThat(b[0x110]).isEqualTo((byte) 0x11);
        assertThat(b[0x140]).isEqualTo((byte) 0x14);
        assertThat(b[0x160]).isEqualTo((byte) 0x16);
        assertThat(b[0x188]).isEqualTo((byte) 0x19);
        assertThat(b[0x189]).isEqualTo((byte) 0x11);
        assertThat(b[0x1a0]).isEqualTo((byte) 0x1a);
        assertThat(b[0x1e8]).isEqualTo((byte) 5);
        assertThat(b[0x1e9]).isEqualTo((byte) 55);
        assertThat(b[0x1ec]).isEqualTo((byte) 4);
        assertThat(LeBytes.u64(b, 0x1f8)).isEqualTo(0x8000_0000_0000_0001L);
        assertThat(LeBytes.u64(b, 0x200)).isEqualTo(3L);
        assertThat(b[0x2a0]).isEqualTo((byte) 0x34); // R little-endian
        assertThat(b[0x2a1]).isEqualTo((byte) 0x12);
        assertThat(b[0x2e8 + 47]).isEqualTo((byte) 0x80); // S = 2^383: top bit of the 48th byte
    }

    @Test
    void builderDefaultsAreZerosVersionThreeEcdsa() {
        AttestationReport r = AttestationReport.builder().build();
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.signatureAlgo()).isEqualTo(1);
        assertThat(r.policy()).isEqualTo(GuestPolicy.DEFAULT);
        assertThat(r.signature().isZero()).isTrue();
        assertThat(r.measurement()).containsOnly(0);
        assertThat(AttestationReport.decode(r.encode())).isEqualTo(r);
    }

    @Test
    void signedBytesAreEverythingBeforeTheSignature() {
        AttestationReport r = full(3).build();
        assertThat(r.signedBytes()).isEqualTo(Arrays.copyOf(r.encode(), 0x2a0));
        AttestationReport resigned = r.withSignature(new ReportSignature(BigInteger.ONE, BigInteger.TEN));
        assertThat(resigned.signedBytes()).isEqualTo(r.signedBytes());
        assertThat(resigned).isNotEqualTo(r);
        assertThat(resigned.signature().s()).isEqualTo(BigInteger.TEN);
    }

    @Test
    void byteArraysAreCopiedInAndOut() {
        byte[] data = new byte[64];
        AttestationReport r = AttestationReport.builder().reportData(data).build();
        data[0] = 1;
        assertThat(r.reportData()[0]).isZero();
        r.reportData()[0] = 2;
        assertThat(r.reportData()[0]).isZero();
    }

    @Test
    void productComesFromCpuidSinceVersionThree() {
        assertThat(full(3).build().productFromCpuid()).isEqualTo(Product.GENOA);
        assertThat(full(3).cpuidOf(Product.TURIN).build().productFromCpuid()).isEqualTo(Product.TURIN);
        assertThat(full(3).cpuidOf(Product.MILAN).build().productFromCpuid()).isEqualTo(Product.MILAN);
        assertThat(full(2).build().productFromCpuid()).isNull();
        assertThat(AttestationReport.builder().build().productFromCpuid()).isNull(); // family 0
    }

    // ---- one named test per malformation

    @Test
    void rejectsWrongLength() {
        assertThatThrownBy(() -> AttestationReport.decode(new byte[1000]))
                .isInstanceOf(AbiException.class).hasMessage("report is 1000 bytes (expected: 0x4a0)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, -1})
    void rejectsVersionOutOfBounds(int version) {
        byte[] b = full(3).build().encode();
        LeBytes.putU32(b, 0, version);
        assertThatThrownBy(() -> AttestationReport.decode(b)).isInstanceOf(AbiException.class)
                .hasMessageContaining("report version at 0x0 is " + Integer.toUnsignedLong(version));
    }

    @Test
    void rejectsNonZeroReservedAfterSignerInfo() {
        expectMbz(full(3).build().encode(), 0x4d, "[0x4c:0x50]");
    }

    @Test
    void rejectsCpuidBytesInVersionTwo() {
        expectMbz(full(2).build().encode(), 0x188, "[0x188:0x1a0]");
    }

    @Test
    void rejectsNonZeroReservedBeforeChipIdInVersionThree() {
        expectMbz(full(3).build().encode(), 0x18b, "[0x18b:0x1a0]");
        expectMbz(full(3).build().encode(), 0x19f, "[0x18b:0x1a0]");
    }

    @Test
    void rejectsNonZeroReservedBytesBetweenVersionNumbers() {
        expectMbz(full(3).build().encode(), 0x1eb, "[0x1eb:0x1ec]");
        expectMbz(full(3).build().encode(), 0x1ef, "[0x1ef:0x1f0]");
    }

    @Test
    void rejectsMitigationVectorsBeforeVersionFive() {
        expectMbz(full(4).build().encode(), 0x1f8, "[0x1f8:0x2a0]");
        expectMbz(full(3).build().encode(), 0x200, "[0x1f8:0x2a0]");
    }

    @Test
    void rejectsNonZeroReservedBeforeSignatureInVersionFive() {
        expectMbz(full(5).build().encode(), 0x208, "[0x208:0x2a0]");
        expectMbz(full(5).build().encode(), 0x29f, "[0x208:0x2a0]");
    }

    @Test
    void rejectsNonZeroSignatureTail() {
        expectMbz(full(3).build().encode(), 0x330, "[0x330:0x4a0]");
        expectMbz(full(3).build().encode(), 0x49f, "[0x330:0x4a0]");
    }

    @Test
    void rejectsVmplAboveThree() {
        byte[] b = full(3).build().encode();
        LeBytes.putU32(b, 0x30, 4);
        assertThatThrownBy(() -> AttestationReport.decode(b)).hasMessage("vmpl at 0x30 is 4 (expected: 0..3)");
    }

    @Test
    void rejectsUnknownSignatureAlgorithm() {
        byte[] b = full(3).build().encode();
        LeBytes.putU32(b, 0x34, 2);
        assertThatThrownBy(() -> AttestationReport.decode(b))
                .hasMessage("signature_algo at 0x34 is 2 (expected: 1, ecdsa p-384 with sha-384)");
    }

    @Test
    void rejectsPolicyWithReservedBit17Clear() {
        byte[] b = full(3).build().encode();
        b[0x0a] &= ~0x02;
        assertThatThrownBy(() -> AttestationReport.decode(b)).hasMessageContaining("field at 0x8")
                .hasMessageContaining("bit 17 is reserved and must be 1");
    }

    @Test
    void rejectsPolicyWithReservedHighBits() {
        byte[] b = full(3).build().encode();
        b[0x0f] = 0x01;
        assertThatThrownBy(() -> AttestationReport.decode(b)).hasMessageContaining("reserved bits 63:26");
    }

    @Test
    void rejectsSignerInfoReservedBits() {
        byte[] b = full(3).build().encode();
        b[0x48] |= 0x20;
        assertThatThrownBy(() -> AttestationReport.decode(b)).hasMessageContaining("field at 0x48")
                .hasMessageContaining("reserved bits 31:5");
    }

    @Test
    void rejectsReservedSigningKey() {
        byte[] b = full(3).build().encode();
        b[0x48] = (byte) (3 << 2);
        assertThatThrownBy(() -> AttestationReport.decode(b)).hasMessageContaining("signing_key is 3");
    }

    @Test
    void builderRejectsWrongFieldSizesAndRanges() {
        assertThatThrownBy(() -> AttestationReport.builder().measurement(new byte[47]).build())
                .hasMessage("measurement is 47 bytes (expected: 48)");
        assertThatThrownBy(() -> AttestationReport.builder().currentBuild(256).build())
                .hasMessage("current_build is 256 (expected: 0..255)");
        assertThatThrownBy(() -> AttestationReport.builder().version(2).cpuidOf(Product.MILAN).build())
                .hasMessageContaining("cpuid fields are set in a version 2 report");
        assertThatThrownBy(() -> AttestationReport.builder().version(4).currentMitVector(1).build())
                .hasMessageContaining("mitigation vectors are set in a version 4 report");
    }

    private static void expectMbz(byte[] b, int offset, String range) {
        b[offset] = 0x5a;
        assertThatThrownBy(() -> AttestationReport.decode(b)).isInstanceOf(AbiException.class)
                .hasMessageContaining("mbz range " + range + " not all zero");
    }
}
