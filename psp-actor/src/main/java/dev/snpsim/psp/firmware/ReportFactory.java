package dev.snpsim.psp.firmware;

import dev.snpsim.abi.launch.IdBlock;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.ReportBuilder;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.SigningKey;
import java.util.Arrays;

/**
 * Fills every field of an attestation report (SPEC.md section 7) from the firmware and guest
 * state; the caller signs it.
 */
final class ReportFactory {
    private static final byte[] NO_MIGRATION_AGENT = filled(32, 0xff);

    private final Firmware fw;

    ReportFactory(Firmware fw) {
        this.fw = fw;
    }

    /** The unsigned report for guest {@code g} asked at {@code vmpl} with {@code reportData}. */
    AttestationReport build(GuestContext g, byte[] reportData, int vmpl, SigningKey key) {
        FirmwareConfig c = fw.config();
        IdBlock id = g.idBlock();
        ReportBuilder b = AttestationReport.builder()
                .version(c.reportVersion())
                .guestSvn(id == null ? 0 : id.guestSvn())
                .policy(g.policy())
                .familyId(id == null ? new byte[16] : id.familyId())
                .imageId(id == null ? new byte[16] : id.imageId())
                .vmpl(vmpl)
                .signatureAlgo(AttestationReport.ECDSA_P384_SHA384)
                .currentTcb(fw.currentTcb())
                .platformInfo(c.platformInfo())
                .signerInfo(new SignerInfo(false, fw.maskChipKey(), key))
                .reportData(reportData)
                .measurement(g.measurement())
                .hostData(g.hostData())
                .idKeyDigest(new byte[48])
                .authorKeyDigest(new byte[48])
                .reportId(g.reportId())
                .reportIdMa(NO_MIGRATION_AGENT)
                .reportedTcb(fw.reportedTcb())
                .chipId(fw.maskChipId() ? new byte[64] : c.chipId())
                .committedTcb(fw.committedTcb())
                .currentBuild(fw.currentVersion().build())
                .currentMinor(fw.currentVersion().minor())
                .currentMajor(fw.currentVersion().major())
                .committedBuild(fw.committedVersion().build())
                .committedMinor(fw.committedVersion().minor())
                .committedMajor(fw.committedVersion().major())
                .launchTcb(g.launchTcb());
        if (c.reportVersion() >= 3) {
            b.cpuidOf(c.product());
        }
        return b.build();
    }

    private static byte[] filled(int n, int v) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) v);
        return out;
    }
}
