package dev.snpsim.guest.rp;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;

/** One Milan key hierarchy per test JVM (RSA-4096 roots take seconds) and signed reports made with it. */
final class RpFixture {
    static final KeyHierarchy HIERARCHY = dev.snpsim.guest.TestHost.KEYS;
    static final Product PRODUCT = Product.MILAN;
    static final TcbVersion TCB_OLD = TcbVersion.of(PRODUCT, 0, 3, 0, 8, 115);
    static final TcbVersion TCB_NEW = TcbVersion.of(PRODUCT, 0, 3, 0, 9, 115);
    static final byte[] CHIP = chip();

    private RpFixture() {
    }

    private static byte[] chip() {
        byte[] c = new byte[64];
        for (int i = 0; i < 64; i++) {
            c[i] = (byte) (0x40 + i);
        }
        return c;
    }

    static Vcek vcek(TcbVersion tcb) {
        return HIERARCHY.vcek(PRODUCT, CHIP, tcb);
    }

    /** A report with this REPORT_DATA, signed by the VCEK of {@code tcb}, reporting {@code tcb}. */
    static byte[] report(byte[] reportData, TcbVersion tcb) {
        AttestationReport unsigned = AttestationReport.builder().cpuidOf(PRODUCT).reportData(reportData)
                .reportedTcb(tcb).currentTcb(tcb).committedTcb(tcb).launchTcb(tcb).chipId(CHIP)
                .signerInfo(SignerInfo.VCEK).build();
        return ReportSigner.sign(unsigned, vcek(tcb).privateKey()).encode();
    }

    /** ARK, ASK and the VCEK of {@code tcb}, as a host's blob holds them. */
    static CertTable table(TcbVersion tcb) {
        return CertTable.of(
                new CertEntry(CertGuid.ARK, CertificateFiles.toDer(HIERARCHY.arkCertificate(PRODUCT))),
                new CertEntry(CertGuid.ASK, CertificateFiles.toDer(HIERARCHY.askCertificate(PRODUCT))),
                new CertEntry(CertGuid.VCEK, CertificateFiles.toDer(vcek(tcb).certificate())));
    }

    static byte[] nonce(int n) {
        byte[] b = new byte[64];
        for (int i = 0; i < 64; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        return b;
    }
}
