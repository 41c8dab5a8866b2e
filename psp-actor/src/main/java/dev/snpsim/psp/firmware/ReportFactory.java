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
    /** Zero fields; never written to (the report copies what it is given). */
    private static final byte[] ZERO_16 = new byte[16];
    private static final byte[] ZERO_48 = new byte[48];
    private static final byte[] ZERO_64 = new byte[64];

    private final Firmware fw;

    ReportFactory(Firmware fw) {
        this.fw = fw;
    }

    /**
     * The unsigned report for guest {@code g} asked at {@code vmpl} with {@code reportData}. The
     * builder is given the firmware's and guest's own arrays, not copies: the report copies each
     * once when built, and the builder writes to none.
     */
    AttestationReport build(GuestContext g, byte[] reportData, int vmpl, SigningKey key) {
        FirmwareConfig c = fw.config();
        IdBlock id = g.idBlock();
        ReportBuilder b = AttestationReport.builder()
                .version(c.reportVersion())
                .guestSvn(id == null ? 0 : id.guestSvn())
                .policy(g.policy())
                .familyId(id == null ? ZERO_16 : id.familyId())
                .imageId(id == null ? ZERO_16 : id.imageId())
                .vmpl(vmpl)
                .signatureAlgo(AttestationReport.ECDSA_P384_SHA384)
                .currentTcb(fw.currentTcb())
                .platformInfo(c.platformInfo())
                .signerInfo(new SignerInfo(false, fw.maskChipKey(), key))
                .reportData(reportData)
                .measurement(g.measurementRef())
                .hostData(g.hostDataRef())
                .idKeyDigest(ZERO_48)
                .authorKeyDigest(ZERO_48)
                .reportId(g.reportIdRef())
                .reportIdMa(NO_MIGRATION_AGENT)
                .reportedTcb(fw.reportedTcb())
                .chipId(fw.maskChipId() ? ZERO_64 : c.chipIdRef())
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
