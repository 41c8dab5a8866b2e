package dev.snpsim.abi.verify;

import static dev.snpsim.abi.keys.TestKeys.realAmd;
import static dev.snpsim.abi.keys.TestKeys.realCert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.verify.Verdict.Reason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The verifier on reports and certificates produced by AMD (../shared/testdata/real-amd). */
class ReportVerifierRealTest {
    private final ReportVerifier verifier = ReportVerifier.withDefaults();

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void realMilanReportVerifiesWithItsVcek(int i) {
        Verdict v = verifier.verify(realAmd("milan_report_" + i + ".bin"), realCert("ark_milan.pem"),
                realCert("ask_milan.pem"), realCert("milan_vcek_" + i + ".der"));
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.OK);
        assertThat(v.ok()).isTrue();
        assertThat(v.product()).isEqualTo(Product.MILAN);
        assertThat(v.report().version()).isEqualTo(2);
    }

    @Test
    void reportOneWithTheOtherChipsVcekHasABadSignature() {
        Verdict v = verifier.verify(realAmd("milan_report_1.bin"), realCert("ark_milan.pem"),
                realCert("ask_milan.pem"), realCert("milan_vcek_2.der"));
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(v.detail()).contains("does not verify with the key of 'SEV-VCEK'");
    }

    @Test
    void askOfAnotherProductBreaksTheChain() {
        Verdict v = verifier.verify(realAmd("milan_report_1.bin"), realCert("ark_milan.pem"),
                realCert("ask_genoa.pem"), realCert("milan_vcek_1.der"));
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.CHAIN_BROKEN);
        assertThat(v.detail()).contains("'SEV-Genoa' is issued by 'ARK-Genoa', not by 'ARK-Milan'");
    }

    @Test
    void arkOfAnotherProductBreaksTheChain() {
        Verdict v = verifier.verify(realAmd("milan_report_1.bin"), realCert("ark_turin.pem"),
                realCert("ask_milan.pem"), realCert("milan_vcek_1.der"));
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.CHAIN_BROKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"milan", "genoa", "turin"})
    void realAskAndAsvkChainsVerify(String product) {
        X509Certificate ark = realCert("ark_" + product + ".pem");
        Verdict ask = verifier.verifyChain(ark, realCert("ask_" + product + ".pem"), null);
        Verdict asvk = verifier.verifyChain(ark, realCert("asvk_" + product + ".pem"), null);
        assertThat(ask.reason()).as(ask.toString()).isEqualTo(Reason.OK);
        assertThat(asvk.reason()).as(asvk.toString()).isEqualTo(Reason.OK);
        assertThat(ask.product()).isEqualTo(Product.parse(product));
    }

    @Test
    void expiredVcekIsAcceptedByDefaultAndRejectedWhenAskedAboutALaterInstant() {
        Instant after = Instant.parse("2031-01-01T00:00:00Z");
        Verdict v = new ReportVerifier(Options.defaults().withValidityAt(after)).verify(
                realAmd("milan_report_1.bin"), realCert("ark_milan.pem"), realCert("ask_milan.pem"),
                realCert("milan_vcek_1.der"));
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.EXPIRED);
        assertThat(v.detail()).contains("'SEV-VCEK' is valid 2023-04-03T19:23:43Z..2030-04-03T19:23:43Z");
        Verdict during = new ReportVerifier(Options.defaults().withValidityAt(Instant.parse("2024-06-01T00:00:00Z")))
                .verify(realAmd("milan_report_1.bin"), realCert("ark_milan.pem"), realCert("ask_milan.pem"),
                        realCert("milan_vcek_1.der"));
        assertThat(during.ok()).as(during.toString()).isTrue();
    }

    @Test
    void realReportVerifiesFromACertificateTable() {
        CertTable table = CertTable.of(
                new CertEntry(CertGuid.ARK, CertificateFiles.toDer(realCert("ark_milan.pem"))),
                new CertEntry(CertGuid.ASK, CertificateFiles.toDer(realCert("ask_milan.pem"))),
                new CertEntry(CertGuid.VCEK, realAmd("milan_vcek_1.der")));
        byte[] report = realAmd("milan_report_1.bin");
        assertThat(verifier.verify(report, table, realCert("ark_milan.pem")).ok()).isTrue();
        Verdict untrusted = verifier.verify(report, table, null);
        assertThat(untrusted.reason()).as(untrusted.toString()).isEqualTo(Reason.CHAIN_BROKEN);
        ReportVerifier trusting = new ReportVerifier(Options.defaults()
                .withTrustedArks(List.of(realCert("ark_genoa.pem"), realCert("ark_milan.pem"))));
        assertThat(trusting.verify(report, table, null).ok()).isTrue();
        Verdict otherAnchor = verifier.verify(report, table, realCert("ark_genoa.pem"));
        assertThat(otherAnchor.reason()).as(otherAnchor.toString()).isEqualTo(Reason.CHAIN_BROKEN);
    }

    @Test
    void tableWithoutTheVcekIsMissingACertificate() {
        CertTable table = CertTable.of(new CertEntry(CertGuid.ASK, CertificateFiles.toDer(realCert("ask_milan.pem"))));
        Verdict v = verifier.verify(realAmd("milan_report_1.bin"), table, realCert("ark_milan.pem"));
        assertThat(v.reason()).as(v.toString()).isEqualTo(Reason.MISSING_CERTIFICATE);
        assertThat(v.detail()).isEqualTo("table has neither a vcek nor a vlek entry");
        assertThat(v.report()).as("the report decoded before the table was found wanting").isNotNull();
    }
}
