package dev.snpsim.psp.firmware;

import static dev.snpsim.psp.firmware.Fixture.P;
import static dev.snpsim.psp.firmware.Fixture.TCB1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.msg.KeyResponse;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.PlatformInfo;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.psp.GuestSession;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** SNP_GUEST_REQUEST: seqno and tag checks, message types, VMPL rule, report contents, derived keys. */
class GuestRequestTest {
    private final Fixture f = new Fixture();

    @Test
    void reportCarriesEveryFieldFromFirmwareAndGuestState() {
        GuestSession s = f.launch("vm");
        GuestSession.Sealed req = s.report(GuestSession.data(0x77), 1, ReportRequest.KEY_SEL_VCEK);
        AttestationReport r = AttestationReport.decode(f.respond("vm", s, req).report());
        byte[] expectedMeasurement = new LaunchDigest().update(PageType.NORMAL, 0x1000, Fixture.PAGE)
                .update(PageType.SECRETS, 0x2000, null).digest();
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.guestSvn()).isZero();
        assertThat(r.policy()).isEqualTo(GuestPolicy.DEFAULT);
        assertThat(r.familyId()).isEqualTo(new byte[16]);
        assertThat(r.imageId()).isEqualTo(new byte[16]);
        assertThat(r.vmpl()).isEqualTo(1);
        assertThat(r.signatureAlgo()).isEqualTo(1);
        assertThat(r.currentTcb()).isEqualTo(TCB1);
        assertThat(r.platformInfo()).isEqualTo(PlatformInfo.of(true, false, false, false));
        assertThat(r.signerInfo().signingKey()).isEqualTo(SigningKey.VCEK);
        assertThat(r.signerInfo().authorKeyEn()).isFalse();
        assertThat(r.reportData()).isEqualTo(GuestSession.data(0x77));
        assertThat(r.measurement()).isEqualTo(expectedMeasurement);
        assertThat(r.hostData()).isEqualTo(Fixture.hostData());
        assertThat(r.idKeyDigest()).isEqualTo(new byte[48]);
        assertThat(r.authorKeyDigest()).isEqualTo(new byte[48]);
        assertThat(r.reportId()).isEqualTo(f.fw.guest("vm").reportId()).isNotEqualTo(new byte[32]);
        byte[] ff = new byte[32];
        Arrays.fill(ff, (byte) 0xff);
        assertThat(r.reportIdMa()).isEqualTo(ff);
        assertThat(r.reportedTcb()).isEqualTo(TCB1);
        assertThat(r.productFromCpuid()).isEqualTo(P);
        assertThat(r.chipId()).isEqualTo(FirmwareConfig.chipIdOf(P, 9));
        assertThat(r.committedTcb()).isEqualTo(TCB1);
        assertThat(new int[] {r.currentMajor(), r.currentMinor(), r.currentBuild()}).containsExactly(1, 55, 21);
        assertThat(new int[] {r.committedMajor(), r.committedMinor(), r.committedBuild()}).containsExactly(1, 55, 21);
        assertThat(r.launchTcb()).isEqualTo(TCB1);
        assertThat(ReportSigner.verifySignature(r, Fixture.vcekPublic(TCB1))).isTrue();
    }

    @Test
    void reportIdIsStablePerGuestAndDistinctBetweenGuests() {
        GuestSession a = f.launch("a");
        GuestSession b = f.launch("b");
        assertThat(f.report("a", a, 0).reportId()).isEqualTo(f.report("a", a, 0).reportId());
        assertThat(f.report("a", a, 0).reportId()).isNotEqualTo(f.report("b", b, 0).reportId());
    }

    @Test
    void reportVersionFollowsTheConfig() {
        Fixture v2 = new Fixture(FirmwareConfig.of(P, Fixture.KEYS, 9, Fixture.V1, TCB1).withReportVersion(2));
        AttestationReport r2 = v2.report("vm", v2.launch("vm"), 0);
        assertThat(r2.version()).isEqualTo(2);
        assertThat(r2.cpuidFamId()).isZero();
        Fixture v5 = new Fixture(FirmwareConfig.of(P, Fixture.KEYS, 9, Fixture.V1, TCB1).withReportVersion(5));
        assertThat(v5.report("vm", v5.launch("vm"), 0).version()).isEqualTo(5);
    }

    @Test
    void responsesCarrySeqnoPlusOneAndTheFirmwareTracksItPerVmpck() {
        GuestSession s = f.launch("vm");
        for (int i = 0; i < 3; i++) {
            f.report("vm", s, 0); // each opens with request seqno + 1 or throws
        }
        assertThat(f.fw.guest("vm").lastSeqno(0)).isEqualTo(6);
        assertThat(f.fw.guest("vm").lastSeqno(1)).isZero();
    }

    @Test
    void aReplayedRequestIsRefusedAndDoesNotConsumeTheSeqno() {
        GuestSession s = f.launch("vm");
        GuestSession.Sealed first = s.report(GuestSession.data(1));
        assertThat(f.fw.guestRequest("vm", first.page()).status()).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(f.fw.guestRequest("vm", first.page()).status()).isEqualTo(FirmwareStatus.INVALID_PARAM);
        assertThat(f.fw.guest("vm").lastSeqno(0)).isEqualTo(2);
        f.report("vm", s, 0);
    }

    @Test
    void aSkippedSeqnoIsRefused() {
        GuestSession s = f.launch("vm");
        GuestSession.Sealed ahead = s.sealAt(3, MessageType.REPORT_REQ, new ReportRequest(GuestSession.data(1), 0, 0).encode());
        assertThat(f.fw.guestRequest("vm", ahead.page()).status()).isEqualTo(FirmwareStatus.INVALID_PARAM);
    }

    @Test
    void aBadTagIsRefusedAndTheNextGoodRequestStillWorks() {
        GuestSession s = f.launch("vm");
        GuestSession.Sealed req = s.report(GuestSession.data(1));
        byte[] tampered = req.page().clone();
        tampered[0x60] ^= 1; // first ciphertext byte
        assertThat(f.fw.guestRequest("vm", tampered).status()).isEqualTo(FirmwareStatus.INVALID_PARAM);
        assertThat(f.fw.guestRequest("vm", req.page()).status()).isEqualTo(FirmwareStatus.SUCCESS);
    }

    @Test
    void aRequestSealedWithAnotherGuestsKeyIsRefused() {
        f.launch("a");
        GuestSession other = f.launch("b");
        assertThat(f.fw.guestRequest("a", other.report(GuestSession.data(1)).page()).status())
                .isEqualTo(FirmwareStatus.INVALID_PARAM);
    }

    @Test
    void responseTypesMalformedPagesAndUnmodelledTypesAreRefused() {
        GuestSession s = f.launch("vm");
        assertThat(f.fw.guestRequest("vm", s.seal(MessageType.REPORT_RSP, new byte[0x60]).page()).status())
                .isEqualTo(FirmwareStatus.INVALID_PARAM);
        assertThat(f.fw.guestRequest("vm", new byte[100]).status()).isEqualTo(FirmwareStatus.INVALID_PARAM);
        GuestSession t = f.launch("vm2");
        assertThat(f.fw.guestRequest("vm2", t.seal(MessageType.CPUID_REQ, new byte[16]).page()).status())
                .isEqualTo(FirmwareStatus.UNSUPPORTED);
    }

    @Test
    void aVmplBelowTheVmpcksIsInvalidParametersInTheResponse() {
        GuestSession vmpl1 = f.launch("vm", 1);
        GuestSession.Sealed low = vmpl1.report(GuestSession.data(1), 0, 0);
        assertThat(f.respond("vm", vmpl1, low).responseStatus()).isEqualTo(ResponseStatus.INVALID_PARAMETERS);
        GuestSession.Sealed ok = vmpl1.report(GuestSession.data(1), 2, 0);
        assertThat(AttestationReport.decode(f.respond("vm", vmpl1, ok).report()).vmpl()).isEqualTo(2);
    }

    @Test
    void aMalformedPayloadIsInvalidParametersInTheResponse() {
        GuestSession s = f.launch("vm");
        byte[] payload = new ReportRequest(GuestSession.data(1), 0, 0).encode();
        payload[0x50] = 1; // reserved
        GuestSession.Sealed req = s.seal(MessageType.REPORT_REQ, payload);
        assertThat(f.respond("vm", s, req).responseStatus()).isEqualTo(ResponseStatus.INVALID_PARAMETERS);
    }

    @Test
    void derivedKeysAreDeterministicAndFollowTheSelectedFields() {
        GuestSession a = f.launch("a");
        GuestSession b = f.launch("b");
        KeyRequest measured = new KeyRequest(0, 1L << 3, 0, 0, 0);
        byte[] ka = key(a, "a", measured);
        assertThat(ka).isEqualTo(key(a, "a", measured)).isNotEqualTo(new byte[32]);
        assertThat(key(b, "b", measured)).as("same measurement, same key").isEqualTo(ka);
        assertThat(key(a, "a", new KeyRequest(0, 1L << 3, 1, 0, 0))).as("other vmpl").isNotEqualTo(ka);
        assertThat(key(a, "a", new KeyRequest(0, 1L << 5 | 1L << 3, 0, 0, TCB1.raw()))).as("tcb mixed in")
                .isNotEqualTo(ka);
    }

    @Test
    void derivedKeyRequestsOutsideTheGuestsRightsAreRefused() {
        GuestSession s = f.launch("vm");
        assertThat(keyStatus(s, new KeyRequest(1, 0, 0, 0, 0))).isEqualTo(ResponseStatus.INVALID_KEY);
        assertThat(keyStatus(s, new KeyRequest(0, 1L << 4, 0, 1, 0))).isEqualTo(ResponseStatus.INVALID_PARAMETERS);
        assertThat(keyStatus(s, new KeyRequest(0, 1L << 5, 0, 0, Fixture.TCB2.raw())))
                .isEqualTo(ResponseStatus.INVALID_PARAMETERS);
    }

    @Test
    void mutatedAndRandomPagesNeverThrowAndNeverConsumeTheSeqno() {
        GuestSession s = f.launch("vm");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        byte[] valid = s.sealAt(1, MessageType.REPORT_REQ, new ReportRequest(GuestSession.data(1), 0, 0).encode()).page();
        for (int i = 0; i < 3000; i++) {
            byte[] page = valid.clone();
            if (i % 3 == 0) {
                rnd.nextBytes(page);
            } else {
                for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
                    page[rnd.nextInt(0x60 + 0x60)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            if (Arrays.equals(page, valid)) {
                continue; // two flips of one bit restored the page
            }
            FirmwareResult r = f.fw.guestRequest("vm", page);
            assertThat(r.status()).as("mutation %d", i).isNotEqualTo(FirmwareStatus.SUCCESS);
        }
        assertThat(f.fw.guest("vm").lastSeqno(0)).isZero();
        f.report("vm", s, 0);
    }

    private byte[] key(GuestSession s, String vm, KeyRequest req) {
        GuestSession.Sealed sealed = s.key(req);
        KeyResponse rsp = s.openKey(sealed, f.fw.guestRequest(vm, sealed.page()).page());
        assertThat(rsp.responseStatus()).isEqualTo(ResponseStatus.SUCCESS);
        return rsp.key();
    }

    private ResponseStatus keyStatus(GuestSession s, KeyRequest req) {
        GuestSession.Sealed sealed = s.key(req);
        return s.openKey(sealed, f.fw.guestRequest("vm", sealed.page()).page()).responseStatus();
    }
}
