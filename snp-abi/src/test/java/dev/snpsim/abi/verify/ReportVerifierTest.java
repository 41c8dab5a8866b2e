package dev.snpsim.abi.verify;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static dev.snpsim.abi.keys.TestKeys.chipId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.ProductRoots;
import dev.snpsim.abi.keys.TestKeys;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.abi.verify.Verdict.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The verifier on reports signed by the simulated hierarchy; one test per verdict. */
class ReportVerifierTest {
    private final ReportVerifier verifier = ReportVerifier.withDefaults();

    private static TcbVersion tcb(Product p) {
        return TcbVersion.of(p, p.hasFmc() ? 1 : 0, 3, 0, 8, 0x73);
    }

    private static AttestationReport report(Product p, TcbVersion reported, byte[] chip, SignerInfo signer) {
        return AttestationReport.builder().cpuidOf(p).reportedTcb(reported).chipId(chip).signerInfo(signer).build();
    }

    private static Vcek vcek(Product p) {
        return HIERARCHY.vcek(p, chipId(p, 1), tcb(p));
    }

    private static Vlek vlek(Product p) {
        return HIERARCHY.vlek(p, "csp-a", 1, tcb(p));
    }

    private Verdict verifyVcek(Product p, AttestationReport signed) {
        ProductRoots r = HIERARCHY.roots(p);
        return verifier.verify(signed.encode(), r.ark(), r.ask(), vcek(p).certificate());
    }

    @ParameterizedTest
    @EnumSource(Product.class)
    void vcekSignedReportVerifies(Product p) {
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK),
                vcek(p).privateKey());
        Verdict v = verifyVcek(p, signed);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.OK);
        assertThat(v.product()).isEqualTo(p);
        assertThat(v.report()).isEqualTo(signed);
    }

    @ParameterizedTest
    @EnumSource(Product.class)
    void vlekSignedReportVerifies(Product p) {
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VLEK),
                vlek(p).privateKey());
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = verifier.verify(signed.encode(), r.ark(), r.asvk(), vlek(p).certificate());
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.OK);
        assertThat(v.detail()).startsWith("vlek-signed report");
    }

    @Test
    void flippedReportByteIsABadSignature() {
        Product p = Product.MILAN;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK),
                vcek(p).privateKey());
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = verifier.verify(TestKeys.flip(signed.encode(), 0x90), r.ark(), r.ask(), vcek(p).certificate());
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(v.report()).isNotNull();
    }

    @Test
    void vlekSignedReportClaimingVcekIsTheWrongKeyKind() {
        Product p = Product.GENOA;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK),
                vlek(p).privateKey());
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = verifier.verify(signed.encode(), r.ark(), r.asvk(), vlek(p).certificate());
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.WRONG_KEY_KIND);
        assertThat(v.detail()).isEqualTo("report signing_key is vcek (0) but the leaf certificate is a vlek");
    }

    @Test
    void vcekCertificateForAReportClaimingVlekIsTheWrongKeyKind() {
        Product p = Product.TURIN;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VLEK),
                vcek(p).privateKey());
        Verdict v = verifyVcek(p, signed);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.WRONG_KEY_KIND);
        assertThat(v.detail()).isEqualTo("report signing_key is vlek (1) but the leaf certificate is a vcek");
    }

    @Test
    void vcekUnderTheAsvkBreaksTheChain() {
        Product p = Product.MILAN;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK),
                vcek(p).privateKey());
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = verifier.verify(signed.encode(), r.ark(), r.asvk(), vcek(p).certificate());
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.CHAIN_BROKEN);
    }

    @Test
    void unsignedReportIsTheWrongKeyKind() {
        Product p = Product.MILAN;
        AttestationReport report = report(p, tcb(p), chipId(p, 1),
                new SignerInfo(false, false, dev.snpsim.abi.report.SigningKey.NONE));
        Verdict v = verifyVcek(p, report);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.WRONG_KEY_KIND);
    }

    @Test
    void reportedTcbOtherThanTheCertificatesIsATcbMismatch() {
        Product p = Product.MILAN;
        TcbVersion newer = TcbVersion.of(p, 0, 3, 0, 9, 0x73);
        AttestationReport signed = ReportSigner.sign(report(p, newer, chipId(p, 1), SignerInfo.VCEK),
                vcek(p).privateKey());
        Verdict v = verifyVcek(p, signed);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.TCB_MISMATCH);
        assertThat(v.detail()).isEqualTo("certificate spls 0x7308000000000003 != reported_tcb 0x7309000000000003 "
                + "(certificate vs report: snpSPL 8 != 9)");
    }

    @Test
    void otherChipIdIsAChipIdMismatch() {
        Product p = Product.MILAN;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 2), SignerInfo.VCEK),
                vcek(p).privateKey());
        Verdict v = verifyVcek(p, signed);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.CHIP_ID_MISMATCH);
        assertThat(v.detail()).startsWith("vcek hwid " + dev.snpsim.abi.Hex.of(chipId(p, 1)) + " != chip_id ");
        Verdict lenient = new ReportVerifier(Options.defaults().withHwIdMatch(false)).verify(signed.encode(),
                HIERARCHY.roots(p).ark(), HIERARCHY.roots(p).ask(), vcek(p).certificate());
        assertThat(lenient.ok()).as(lenient.toString()).isTrue();
    }

    @Test
    void turinChipIdComparesTheFirstEightBytes() {
        Product p = Product.TURIN;
        byte[] other = chipId(p, 1);
        other[7] ^= 1;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), other, SignerInfo.VCEK), vcek(p).privateKey());
        assertThat(verifyVcek(p, signed).reason()).isEqualTo(Reason.CHIP_ID_MISMATCH);
    }

    @Test
    void maskedChipIdIsAccepted() {
        Product p = Product.MILAN;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), new byte[64], SignerInfo.VCEK),
                vcek(p).privateKey());
        Verdict v = verifyVcek(p, signed);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.OK);
    }

    @Test
    void shortReportIsMalformed() {
        Product p = Product.MILAN;
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = verifier.verify(new byte[1000], r.ark(), r.ask(), vcek(p).certificate());
        assertThat(v.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(v.detail()).isEqualTo("report is 1000 bytes (expected: 0x4a0)");
        assertThat(v.report()).isNull();
    }

    @Test
    void otherSignatureAlgorithmIsUnsupported() {
        Product p = Product.MILAN;
        byte[] bytes = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK), vcek(p).privateKey())
                .encode();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(0x34, 2);
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = verifier.verify(bytes, r.ark(), r.ask(), vcek(p).certificate());
        assertThat(v.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
        assertThat(v.detail()).isEqualTo("signature_algo at 0x34 is 2 (expected: 1, ecdsa p-384 with sha-384)");
    }

    @Test
    void cpuidOfAnotherProductIsAProductMismatch() {
        AttestationReport genoaCpuid = report(Product.GENOA, tcb(Product.MILAN), chipId(Product.MILAN, 1),
                SignerInfo.VCEK);
        AttestationReport signed = ReportSigner.sign(genoaCpuid, vcek(Product.MILAN).privateKey());
        Verdict v = verifyVcek(Product.MILAN, signed);
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.PRODUCT_MISMATCH);
        assertThat(v.detail()).isEqualTo("report cpuid family 0x19 model 0x11 is genoa but the chain is milan");
    }

    @Test
    void expectedProductOtherThanTheChainsIsAProductMismatch() {
        Product p = Product.MILAN;
        AttestationReport signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK),
                vcek(p).privateKey());
        ProductRoots r = HIERARCHY.roots(p);
        Verdict v = new ReportVerifier(Options.defaults().withProduct(Product.TURIN))
                .verify(signed.encode(), r.ark(), r.ask(), vcek(p).certificate());
        assertThat(v.reason()).isEqualTo(Reason.PRODUCT_MISMATCH);
    }

    @Test
    void missingLeafIsAMissingCertificate() {
        ProductRoots r = HIERARCHY.roots(Product.MILAN);
        byte[] bytes = report(Product.MILAN, tcb(Product.MILAN), chipId(Product.MILAN, 1), SignerInfo.VCEK).encode();
        assertThat(verifier.verify(bytes, r.ark(), r.ask(), null).reason()).isEqualTo(Reason.MISSING_CERTIFICATE);
        assertThat(Arrays.equals(bytes, new byte[bytes.length])).isFalse();
    }

    @Test
    void aRememberedChainLetsNoOtherChainThrough() {
        Product p = Product.MILAN;
        byte[] signed = ReportSigner.sign(report(p, tcb(p), chipId(p, 1), SignerInfo.VCEK), vcek(p).privateKey())
                .encode();
        ProductRoots r = HIERARCHY.roots(p);
        assertThat(verifier.verify(signed, r.ark(), r.ask(), vcek(p).certificate()).ok()).isTrue();
        assertThat(verifier.verify(signed, r.ark(), r.ask(), vcek(p).certificate()).ok()).isTrue();
        assertThat(verifier.verify(signed, r.ark(), HIERARCHY.roots(Product.GENOA).ask(), vcek(p).certificate())
                .reason()).isEqualTo(Reason.CHAIN_BROKEN);
        assertThat(verifier.verify(signed, HIERARCHY.roots(Product.GENOA).ark(), r.ask(), vcek(p).certificate())
                .reason()).isEqualTo(Reason.CHAIN_BROKEN);
        assertThat(verifier.verify(TestKeys.flip(signed, 0x60), r.ark(), r.ask(), vcek(p).certificate()).reason())
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void generatedChainsVerifyAsChains() {
        for (Product p : Product.values()) {
            ProductRoots r = HIERARCHY.roots(p);
            assertThat(verifier.verifyChain(r.ark(), r.ask(), vcek(p).certificate()).ok()).isTrue();
            assertThat(verifier.verifyChain(r.ark(), r.asvk(), vlek(p).certificate()).ok()).isTrue();
            assertThat(verifier.verifyChain(r.ark(), r.asvk(), vcek(p).certificate()).reason())
                    .isEqualTo(Reason.CHAIN_BROKEN);
        }
    }
}
