package dev.snpsim.guest.rp;

import static dev.snpsim.guest.rp.RpFixture.CHIP;
import static dev.snpsim.guest.rp.RpFixture.HIERARCHY;
import static dev.snpsim.guest.rp.RpFixture.PRODUCT;
import static dev.snpsim.guest.rp.RpFixture.TCB_OLD;
import static dev.snpsim.guest.rp.RpFixture.nonce;
import static dev.snpsim.guest.rp.RpFixture.report;
import static dev.snpsim.guest.rp.RpFixture.table;
import static dev.snpsim.guest.rp.RpFixture.vcek;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.abi.verify.Verdict.Reason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-report checks of the cached path, which compare in place: nonce padding, chip id, masked chip id. */
class RelyingPartyFastPathTest {
    private final RelyingParty rp = new RelyingParty(HIERARCHY.arkCertificate(PRODUCT));
    private final CertTable t = table(TCB_OLD);

    private static byte[] withChip(byte[] reportData, byte[] chip) {
        AttestationReport unsigned = AttestationReport.builder().cpuidOf(PRODUCT).reportData(reportData)
                .reportedTcb(TCB_OLD).currentTcb(TCB_OLD).committedTcb(TCB_OLD).launchTcb(TCB_OLD).chipId(chip)
                .signerInfo(SignerInfo.VCEK).build();
        return ReportSigner.sign(unsigned, vcek(TCB_OLD).privateKey()).encode();
    }

    @Test
    void aNonceShorterThanReportDataIsComparedZeroPaddedAndALongerOneCut() {
        assertThat(rp.check(nonce(0), report(nonce(0), TCB_OLD), t).outcome()).isEqualTo(Outcome.VERIFIED);
        byte[] shortNonce = Arrays.copyOf(nonce(1), 16);
        assertThat(rp.check(shortNonce, report(Arrays.copyOf(shortNonce, 64), TCB_OLD), t).outcome())
                .isEqualTo(Outcome.VERIFIED);
        Check c = rp.check(shortNonce, report(nonce(1), TCB_OLD), t); // the bytes after the 16 are not zero
        assertThat(c.outcome()).isEqualTo(Outcome.NONCE_MISMATCH);
        assertThat(c.detail()).isEqualTo("report_data at 0x50 is " + java.util.HexFormat.of().formatHex(nonce(1))
                + " (expected: this request's nonce " + java.util.HexFormat.of().formatHex(shortNonce) + ")");
        byte[] longNonce = Arrays.copyOf(nonce(2), 80);
        longNonce[70] = 7;
        assertThat(rp.check(longNonce, report(nonce(2), TCB_OLD), t).outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(rp.check(new byte[0], report(new byte[64], TCB_OLD), t).outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(rp.fullVerifications()).as("all on the cached chain but the first").isEqualTo(1);
    }

    @Test
    void aMaskedChipIdPassesTheCachedPathAndAnotherChipFallsThroughToTheVerifier() {
        assertThat(rp.check(nonce(0), report(nonce(0), TCB_OLD), t).outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(rp.check(nonce(1), withChip(nonce(1), new byte[64]), t).outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(rp.fullVerifications()).isEqualTo(1);
        byte[] otherChip = CHIP.clone();
        otherChip[63] ^= 1;
        Check c = rp.check(nonce(2), withChip(nonce(2), otherChip), t);
        assertThat(c.outcome()).isEqualTo(Outcome.STALE_CERTIFICATE);
        assertThat(c.verdict().reason()).isEqualTo(Reason.CHIP_ID_MISMATCH);
        assertThat(rp.fullVerifications()).isEqualTo(2);
    }
}
