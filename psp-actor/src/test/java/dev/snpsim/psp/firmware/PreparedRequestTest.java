package dev.snpsim.psp.firmware;

import static dev.snpsim.psp.firmware.Fixture.P;
import static dev.snpsim.psp.firmware.Fixture.TCB1;
import static dev.snpsim.psp.firmware.Fixture.TCB2;
import static dev.snpsim.psp.firmware.Fixture.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.psp.GuestSession;
import dev.snpsim.sim.offload.Offload;
import org.junit.jupiter.api.Test;

/**
 * A guest request prepared at the start of its service (signature computed ahead) answers
 * exactly what the same request answers from scratch, and a preparation that something else
 * overtook is never used.
 */
class PreparedRequestTest {
    private static final Offload WORKERS = Offload.withWorkers(1);

    @Test
    void aPreparedRequestAnswersByteForByteWhatAnUnpreparedOneAnswers() {
        Fixture plain = new Fixture();
        Fixture ahead = new Fixture();
        GuestSession a = plain.launch("vm");
        GuestSession b = ahead.launch("vm");
        for (int i = 0; i < 5; i++) {
            GuestSession.Sealed ra = a.report(GuestSession.data(i), 0, ReportRequest.KEY_SEL_VCEK);
            GuestSession.Sealed rb = b.report(GuestSession.data(i), 0, ReportRequest.KEY_SEL_VCEK);
            assertThat(rb.page()).isEqualTo(ra.page());
            ahead.fw.prepareGuestRequest("vm", rb.page(), i % 2 == 0 ? WORKERS : Offload.inline());
            FirmwareResult x = plain.fw.guestRequest("vm", ra.page());
            FirmwareResult y = ahead.fw.guestRequest("vm", rb.page());
            assertThat(y.status()).isEqualTo(FirmwareStatus.SUCCESS);
            assertThat(y.page()).isEqualTo(x.page());
        }
    }

    @Test
    void withWorkersTheResponseIsHandedOnDeferredWithItsClearHeaderKnownAndTheSameBytes() {
        Fixture plain = new Fixture();
        Fixture ahead = new Fixture();
        GuestSession a = plain.launch("vm");
        GuestSession b = ahead.launch("vm");
        GuestSession.Sealed ra = a.report(GuestSession.data(7), 0, ReportRequest.KEY_SEL_VCEK);
        GuestSession.Sealed rb = b.report(GuestSession.data(7), 0, ReportRequest.KEY_SEL_VCEK);
        ahead.fw.prepareGuestRequest("vm", rb.page(), WORKERS);
        FirmwareResult x = plain.fw.guestRequest("vm", ra.page());
        FirmwareResult y = ahead.fw.guestRequest("vm", rb.page());
        assertThat(x.deferred()).isNull();
        SealedResponse sealed = y.deferred();
        assertThat(sealed).isNotNull();
        assertThat(y.status()).isEqualTo(FirmwareStatus.SUCCESS);
        // what a reader may know before the bytes: the clear header (tag aside) and the key
        GuestMessageHeader onPage = GuestMessageHeader.decode(x.page());
        assertThat(sealed.header()).isEqualTo(onPage.withAuthTag(new byte[16]));
        assertThat(sealed.header().seqno()).isEqualTo(rb.seqno() + 1);
        byte[] key = ahead.fw.guest("vm").vmpck(0);
        assertThat(sealed.sealedWith(key)).isTrue();
        byte[] other = key.clone();
        other[0] ^= 1;
        assertThat(sealed.sealedWith(other)).isFalse();
        assertThat(sealed.sealedWith(null)).isFalse();
        assertThat(ahead.fw.guest("vm").vmpck(1)).isNotEqualTo(key);
        assertThat(sealed.sealedWith(ahead.fw.guest("vm").vmpck(1))).isFalse();
        // the bytes, when read, are the ones the request answers from scratch
        assertThat(sealed.page()).isEqualTo(x.page());
        assertThat(y.page()).isEqualTo(x.page());
        // the seqno moved at execution: the next request is answered (inline: at once, not deferred)
        GuestSession.Sealed next = b.report(GuestSession.data(8), 0, ReportRequest.KEY_SEL_VCEK);
        ahead.fw.prepareGuestRequest("vm", next.page(), Offload.inline());
        FirmwareResult z = ahead.fw.guestRequest("vm", next.page());
        assertThat(z.status()).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(z.deferred()).isNull();
        assertThat(b.openReport(next, z.page()).report()).isNotNull();
    }

    @Test
    void aCommandBetweenPreparationAndExecutionDiscardsThePreparation() {
        Fixture f = new Fixture();
        GuestSession s = f.launch("vm");
        GuestSession.Sealed req = s.report(GuestSession.data(3), 0, ReportRequest.KEY_SEL_VCEK);
        f.fw.prepareGuestRequest("vm", req.page(), WORKERS); // signed ahead with the VCEK of TCB1
        assertThat(f.fw.downloadFirmware(V2, TCB2)).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(f.fw.commit()).isEqualTo(FirmwareStatus.SUCCESS); // REPORTED moves to TCB2
        AttestationReport r = AttestationReport.decode(f.respond("vm", s, req).report());
        assertThat(r.reportedTcb()).isEqualTo(TCB2);
        assertThat(ReportSigner.verifySignature(r, Fixture.vcekPublic(TCB2))).isTrue();
        assertThat(ReportSigner.verifySignature(r, Fixture.vcekPublic(TCB1))).isFalse();
    }

    @Test
    void anotherRequestThanThePreparedOneIsAnsweredOnItsOwn() {
        Fixture f = new Fixture();
        GuestSession s = f.launch("vm");
        GuestSession other = f.launch("other");
        GuestSession.Sealed prepared = s.report(GuestSession.data(1), 0, ReportRequest.KEY_SEL_VCEK);
        GuestSession.Sealed asked = other.report(GuestSession.data(2), 0, ReportRequest.KEY_SEL_VCEK);
        f.fw.prepareGuestRequest("vm", prepared.page(), WORKERS);
        AttestationReport r = AttestationReport.decode(f.respond("other", other, asked).report());
        assertThat(r.reportData()).isEqualTo(GuestSession.data(2));
        assertThat(ReportSigner.verifySignature(r, Fixture.vcekPublic(TCB1))).isTrue();
        // the prepared request itself, now run from scratch, still gets its own answer
        AttestationReport mine = AttestationReport.decode(f.respond("vm", s, prepared).report());
        assertThat(mine.reportData()).isEqualTo(GuestSession.data(1));
        assertThat(mine.productFromCpuid()).isEqualTo(P);
    }

    @Test
    void aPageChangedAfterPreparationIsAnsweredAsItIsAtExecution() {
        Fixture f = new Fixture();
        GuestSession s = f.launch("vm");
        GuestSession.Sealed req = s.report(GuestSession.data(4), 0, ReportRequest.KEY_SEL_VCEK);
        byte[] page = req.page();
        f.fw.prepareGuestRequest("vm", page, WORKERS);
        page[100] ^= 1; // the ciphertext changed under the firmware: the tag no longer authenticates
        assertThat(f.fw.guestRequest("vm", page).status()).isEqualTo(FirmwareStatus.INVALID_PARAM);
    }

    @Test
    void aSecondPreparationReplacesTheFirstAndTheFirstPageIsAnsweredOnItsOwn() {
        Fixture f = new Fixture();
        GuestSession s = f.launch("vm");
        GuestSession.Sealed first = s.report(GuestSession.data(5), 0, ReportRequest.KEY_SEL_VCEK);
        GuestSession.Sealed second = s.report(GuestSession.data(6), 0, ReportRequest.KEY_SEL_VCEK);
        f.fw.prepareGuestRequest("vm", first.page(), WORKERS);
        f.fw.prepareGuestRequest("vm", second.page(), WORKERS); // replaces the first (its page copy too)
        AttestationReport r1 = AttestationReport.decode(f.respond("vm", s, first).report());
        assertThat(r1.reportData()).isEqualTo(GuestSession.data(5));
        f.fw.prepareGuestRequest("vm", second.page(), Offload.inline());
        AttestationReport r2 = AttestationReport.decode(f.respond("vm", s, second).report());
        assertThat(r2.reportData()).isEqualTo(GuestSession.data(6));
        assertThat(ReportSigner.verifySignature(r2, Fixture.vcekPublic(TCB1))).isTrue();
    }
}
