package dev.snpsim.psp.firmware;

import static dev.snpsim.psp.firmware.Fixture.P;
import static dev.snpsim.psp.firmware.Fixture.TCB1;
import static dev.snpsim.psp.firmware.Fixture.TCB2;
import static dev.snpsim.psp.firmware.Fixture.V1;
import static dev.snpsim.psp.firmware.Fixture.V2;
import static dev.snpsim.psp.firmware.Fixture.vcekPublic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.psp.GuestSession;
import dev.snpsim.psp.PlatformState;
import dev.snpsim.psp.TestVleks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** TCB invariants and the effect of COMMIT, SET_CONFIG, VLEK_LOAD and firmware update on signing. */
class PlatformCommandsTest {
    private final Fixture f = new Fixture();

    @Test
    void reportedAtMostCommittedAtMostCurrentUnderAnyCommandSequence() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 3000; i++) {
            TcbVersion t = TcbVersion.of(P, 0, rnd.nextInt(4), rnd.nextInt(2), rnd.nextInt(4), rnd.nextInt(4));
            switch (rnd.nextInt(3)) {
                case 0 -> f.fw.downloadFirmware(V2, t);
                case 1 -> f.fw.commit();
                default -> f.fw.setConfig(t, rnd.nextBoolean(), false);
            }
            PlatformState s = f.fw.platformStatus();
            assertThat(s.reportedTcb().atMost(s.committedTcb(), P)).as("step %d: %s", i, s).isTrue();
            assertThat(s.committedTcb().atMost(s.currentTcb(), P)).as("step %d: %s", i, s).isTrue();
        }
    }

    @Test
    void setConfigRefusesAReportedTcbAboveCommittedAndChangesNothing() {
        assertThat(f.fw.setConfig(TCB2, true, true)).isEqualTo(FirmwareStatus.INVALID_PARAM);
        PlatformState s = f.fw.platformStatus();
        assertThat(s.reportedTcb()).isEqualTo(TCB1);
        assertThat(s.maskChipId()).isFalse();
        assertThat(s.maskChipKey()).isFalse();
    }

    @Test
    void updateRaisesCurrentButTheVcekChangesOnlyWhenCommitMovesReported() {
        GuestSession s = f.launch("vm");
        assertThat(f.fw.downloadFirmware(V2, TCB2)).isEqualTo(FirmwareStatus.SUCCESS);
        AttestationReport before = f.report("vm", s, ReportRequest.KEY_SEL_VCEK);
        assertThat(before.currentTcb()).isEqualTo(TCB2);
        assertThat(before.committedTcb()).isEqualTo(TCB1);
        assertThat(before.reportedTcb()).isEqualTo(TCB1);
        assertThat(before.currentMinor()).isEqualTo(57);
        assertThat(before.committedMinor()).isEqualTo(55);
        assertThat(ReportSigner.verifySignature(before, vcekPublic(TCB1))).isTrue();

        assertThat(f.fw.commit()).isEqualTo(FirmwareStatus.SUCCESS);
        AttestationReport after = f.report("vm", s, ReportRequest.KEY_SEL_VCEK);
        assertThat(after.reportedTcb()).isEqualTo(TCB2);
        assertThat(after.committedTcb()).isEqualTo(TCB2);
        assertThat(after.committedBuild()).isEqualTo(36);
        assertThat(ReportSigner.verifySignature(after, vcekPublic(TCB2))).isTrue();
        assertThat(ReportSigner.verifySignature(after, vcekPublic(TCB1))).isFalse();
    }

    @Test
    void setConfigPinsReportedSoACommitNoLongerMovesIt() {
        GuestSession s = f.launch("vm");
        assertThat(f.fw.setConfig(TCB1, false, false)).isEqualTo(FirmwareStatus.SUCCESS);
        f.fw.downloadFirmware(V2, TCB2);
        f.fw.commit();
        AttestationReport r = f.report("vm", s, ReportRequest.KEY_SEL_DEFAULT);
        assertThat(r.reportedTcb()).isEqualTo(TCB1);
        assertThat(r.committedTcb()).isEqualTo(TCB2);
        assertThat(ReportSigner.verifySignature(r, vcekPublic(TCB1))).isTrue();
    }

    @Test
    void firmwareBelowCommittedIsRefusedAsBadSvn() {
        f.fw.downloadFirmware(V2, TCB2);
        f.fw.commit();
        assertThat(f.fw.downloadFirmware(V1, TCB1)).isEqualTo(FirmwareStatus.BAD_SVN);
        assertThat(f.fw.platformStatus().currentTcb()).isEqualTo(TCB2);
    }

    @Test
    void aLoadedVlekSignsByDefaultAndTheVcekOnlyWhenAskedFor() {
        GuestSession s = f.launch("vm");
        Vlek v = TestVleks.vlek(P, 1, TCB1);
        assertThat(f.fw.vlekLoad(TestVleks.hashstick(Fixture.KEYS, v))).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(f.fw.platformStatus().vlekLoaded()).isTrue();
        AttestationReport byDefault = f.report("vm", s, ReportRequest.KEY_SEL_DEFAULT);
        assertThat(byDefault.signerInfo().signingKey()).isEqualTo(SigningKey.VLEK);
        assertThat(ReportSigner.verifySignature(byDefault, TestVleks.publicKey(v))).isTrue();
        AttestationReport vcek = f.report("vm", s, ReportRequest.KEY_SEL_VCEK);
        assertThat(vcek.signerInfo().signingKey()).isEqualTo(SigningKey.VCEK);
        assertThat(ReportSigner.verifySignature(vcek, vcekPublic(TCB1))).isTrue();
    }

    @Test
    void keySelVlekWithoutAVlekIsInvalidKeyInTheResponse() {
        GuestSession s = f.launch("vm");
        GuestSession.Sealed req = s.report(GuestSession.data(1), 0, ReportRequest.KEY_SEL_VLEK);
        assertThat(f.respond("vm", s, req).responseStatus()).isEqualTo(ResponseStatus.INVALID_KEY);
    }

    @Test
    void aRotatedVlekReplacesTheOldOne() {
        GuestSession s = f.launch("vm");
        Vlek v1 = TestVleks.vlek(P, 1, TCB1);
        Vlek v2 = TestVleks.vlek(P, 2, TCB1);
        f.fw.vlekLoad(TestVleks.hashstick(Fixture.KEYS, v1));
        f.fw.vlekLoad(TestVleks.hashstick(Fixture.KEYS, v2));
        AttestationReport r = f.report("vm", s, ReportRequest.KEY_SEL_VLEK);
        assertThat(ReportSigner.verifySignature(r, TestVleks.publicKey(v2))).isTrue();
        assertThat(ReportSigner.verifySignature(r, TestVleks.publicKey(v1))).isFalse();
    }

    @Test
    void malformedForeignShortOrOtherTcbHashsticksAreRefusedAndTheLoadedVlekStays() {
        Vlek v1 = TestVleks.vlek(P, 1, TCB1);
        f.fw.vlekLoad(TestVleks.hashstick(Fixture.KEYS, v1));
        byte[] good = TestVleks.hashstick(Fixture.KEYS, TestVleks.vlek(P, 2, TCB1));
        byte[] tampered = good.clone();
        tampered[0x70] ^= 1;
        assertThat(f.fw.vlekLoad(tampered)).isEqualTo(FirmwareStatus.INVALID_PARAM);
        byte[] foreign = TestVleks.hashstick(KeyHierarchy.create(78), TestVleks.vlek(P, 2, TCB1));
        assertThat(f.fw.vlekLoad(foreign)).isEqualTo(FirmwareStatus.INVALID_PARAM);
        assertThat(f.fw.vlekLoad(new byte[431])).isEqualTo(FirmwareStatus.INVALID_LENGTH);
        assertThat(f.fw.vlekLoad(TestVleks.hashstick(Fixture.KEYS, TestVleks.vlek(P, 2, TCB2))))
                .isEqualTo(FirmwareStatus.INVALID_PARAM);
        GuestSession s = f.launch("vm");
        AttestationReport r = f.report("vm", s, ReportRequest.KEY_SEL_VLEK);
        assertThat(ReportSigner.verifySignature(r, TestVleks.publicKey(v1))).isTrue();
    }

    @Test
    void aCommitThatMovesReportedDropsTheVlekBoundToTheOldTcb() {
        f.fw.vlekLoad(TestVleks.hashstick(Fixture.KEYS, TestVleks.vlek(P, 1, TCB1)));
        f.fw.downloadFirmware(V2, TCB2);
        f.fw.commit();
        assertThat(f.fw.platformStatus().vlekLoaded()).isFalse();
        GuestSession s = f.launch("vm");
        AttestationReport r = f.report("vm", s, ReportRequest.KEY_SEL_DEFAULT);
        assertThat(r.signerInfo().signingKey()).isEqualTo(SigningKey.VCEK);
        assertThat(ReportSigner.verifySignature(r, vcekPublic(TCB2))).isTrue();
    }

    @Test
    void maskChipIdZeroesTheChipIdAndMaskChipKeyLeavesTheReportUnsigned() {
        GuestSession s = f.launch("vm");
        assertThat(f.report("vm", s, 0).chipId()).isEqualTo(FirmwareConfig.chipIdOf(P, 9));
        assertThat(f.fw.setConfig(TCB1, true, false)).isEqualTo(FirmwareStatus.SUCCESS);
        AttestationReport masked = f.report("vm", s, 0);
        assertThat(masked.chipId()).isEqualTo(new byte[64]);
        assertThat(ReportSigner.verifySignature(masked, vcekPublic(TCB1))).isTrue();
        assertThat(f.fw.setConfig(TCB1, false, true)).isEqualTo(FirmwareStatus.SUCCESS);
        AttestationReport unsigned = f.report("vm", s, 0);
        assertThat(unsigned.signerInfo().maskChipKey()).isTrue();
        assertThat(unsigned.signerInfo().signingKey()).isEqualTo(SigningKey.NONE);
        assertThat(unsigned.signature().r().signum()).isZero();
    }
}
