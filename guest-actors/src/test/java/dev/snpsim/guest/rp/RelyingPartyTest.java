package dev.snpsim.guest.rp;

import static dev.snpsim.guest.rp.RpFixture.HIERARCHY;
import static dev.snpsim.guest.rp.RpFixture.PRODUCT;
import static dev.snpsim.guest.rp.RpFixture.TCB_NEW;
import static dev.snpsim.guest.rp.RpFixture.TCB_OLD;
import static dev.snpsim.guest.rp.RpFixture.nonce;
import static dev.snpsim.guest.rp.RpFixture.report;
import static dev.snpsim.guest.rp.RpFixture.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict.Reason;
import org.junit.jupiter.api.Test;

/** The relying party's outcomes, and that its chain cache never changes a verdict. */
class RelyingPartyTest {
    private final RelyingParty rp = new RelyingParty(HIERARCHY.arkCertificate(PRODUCT));

    @Test
    void verifiesAndCachesTheChain() {
        CertTable t = table(TCB_OLD);
        for (int i = 0; i < 3; i++) {
            Check c = rp.check(nonce(i), report(nonce(i), TCB_OLD), t);
            assertThat(c.outcome()).as(c.detail()).isEqualTo(Outcome.VERIFIED);
        }
        assertThat(rp.fullVerifications()).as("chain verified once, then cached").isEqualTo(1);
    }

    @Test
    void aReportWithAnotherRequestsNonceIsCaught() {
        Check c = rp.check(nonce(1), report(nonce(2), TCB_OLD), table(TCB_OLD));
        assertThat(c.outcome()).isEqualTo(Outcome.NONCE_MISMATCH);
        assertThat(c.detail()).startsWith("report_data at 0x50 is ");
    }

    @Test
    void aReportSignedAfterATcbChangeWithTheOldCertificateIsStale() {
        CertTable oldTable = table(TCB_OLD);
        assertThat(rp.check(nonce(1), report(nonce(1), TCB_OLD), oldTable).outcome()).isEqualTo(Outcome.VERIFIED);
        Check c = rp.check(nonce(2), report(nonce(2), TCB_NEW), oldTable);
        assertThat(c.outcome()).isEqualTo(Outcome.STALE_CERTIFICATE);
        assertThat(c.verdict().reason()).isIn(Reason.BAD_SIGNATURE, Reason.TCB_MISMATCH);
        assertThat(rp.check(nonce(3), report(nonce(3), TCB_NEW), table(TCB_NEW)).outcome()).isEqualTo(Outcome.VERIFIED);
    }

    @Test
    void aTamperedReportIsRejectedEvenWithACachedChain() {
        CertTable t = table(TCB_OLD);
        rp.check(nonce(1), report(nonce(1), TCB_OLD), t);
        byte[] r = report(nonce(2), TCB_OLD);
        r[0x90] ^= 1; // MEASUREMENT
        Check c = rp.check(nonce(2), r, t);
        assertThat(c.outcome()).isEqualTo(Outcome.STALE_CERTIFICATE);
        assertThat(c.verdict().reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void anUntrustedArkIsRejected() {
        RelyingParty wrongAnchor = new RelyingParty(HIERARCHY.askCertificate(PRODUCT));
        Check c = wrongAnchor.check(nonce(1), report(nonce(1), TCB_OLD), table(TCB_OLD));
        assertThat(c.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(c.verdict().reason()).isEqualTo(Reason.CHAIN_BROKEN);
    }

    @Test
    void aPlainReportWithoutCachedCertificatesCannotBeChecked() {
        assertThat(rp.check(nonce(1), report(nonce(1), TCB_OLD), null).outcome()).isEqualTo(Outcome.NO_CERTIFICATES);
    }

    @Test
    void cachedPathAgreesWithTheFullVerifier() {
        CertTable t = table(TCB_OLD);
        rp.check(nonce(0), report(nonce(0), TCB_OLD), t);
        ReportVerifier full = ReportVerifier.withDefaults();
        byte[][] cases = {report(nonce(1), TCB_OLD), report(nonce(2), TCB_NEW), flip(report(nonce(3), TCB_OLD), 0x2a0),
                flip(report(nonce(4), TCB_OLD), 0x1a0)};
        for (byte[] r : cases) {
            boolean fullOk = full.verify(r, t, HIERARCHY.arkCertificate(PRODUCT)).ok();
            Outcome o = rp.check(java.util.Arrays.copyOfRange(r, 0x50, 0x90), r, t).outcome();
            assertThat(o == Outcome.VERIFIED).isEqualTo(fullOk);
        }
    }

    @Test
    void tablesThatAlternateOrDifferInOneCertificateKeepTheirOwnChains() {
        CertTable oldTable = table(TCB_OLD);
        CertTable newTable = table(TCB_NEW);
        for (int i = 0; i < 6; i++) {
            boolean old = i % 2 == 0;
            Check c = rp.check(nonce(i), report(nonce(i), old ? TCB_OLD : TCB_NEW), old ? oldTable : newTable);
            assertThat(c.outcome()).as("report %d: %s", i, c.detail()).isEqualTo(Outcome.VERIFIED);
        }
        assertThat(rp.fullVerifications()).as("one full verification per chain").isEqualTo(2);
        // the same leaf and ARK, another certificate where the ASK should be: a chain of its own, and broken
        java.util.List<dev.snpsim.abi.certs.CertEntry> entries = new java.util.ArrayList<>();
        for (dev.snpsim.abi.certs.CertEntry e : oldTable.entries()) {
            entries.add(e.guid().equals(dev.snpsim.abi.certs.CertGuid.ASK)
                    ? new dev.snpsim.abi.certs.CertEntry(e.guid(), oldTable.find(dev.snpsim.abi.certs.CertGuid.ARK).orElseThrow())
                    : e);
        }
        Check c = rp.check(nonce(9), report(nonce(9), TCB_OLD), new CertTable(entries));
        assertThat(c.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rp.fullVerifications()).isEqualTo(3);
        assertThat(rp.check(nonce(10), report(nonce(10), TCB_OLD), oldTable).outcome()).isEqualTo(Outcome.VERIFIED);
        assertThat(rp.fullVerifications()).as("the good chain is still cached").isEqualTo(3);
    }

    private static byte[] flip(byte[] b, int off) {
        b[off] ^= 1;
        return b;
    }
}
