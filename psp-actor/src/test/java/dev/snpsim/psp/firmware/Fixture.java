package dev.snpsim.psp.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.psp.GuestSession;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.SplittableRandom;

/** A firmware on a small key hierarchy and a guest launched on it (plain objects, no actors). */
final class Fixture {
    static final KeyHierarchy KEYS = KeyHierarchy.create(77);
    static final Product P = Product.GENOA;
    static final TcbVersion TCB1 = TcbVersion.of(P, 0, 9, 0, 21, 0xd4);
    static final TcbVersion TCB2 = TcbVersion.of(P, 0, 10, 0, 22, 0xd5);
    static final FirmwareVersion V1 = new FirmwareVersion(21, 55, 1);
    static final FirmwareVersion V2 = new FirmwareVersion(36, 57, 1);
    static final byte[] PAGE = page(0x42);

    final Firmware fw;

    Fixture() {
        this(FirmwareConfig.of(P, KEYS, 9, V1, TCB1));
    }

    Fixture(FirmwareConfig config) {
        fw = new Firmware(config, new SplittableRandom(1234));
    }

    /** Launches {@code vmId}: one NORMAL page, the secrets page, finish; a session on VMPCK0. */
    GuestSession launch(String vmId) {
        return launch(vmId, 0);
    }

    GuestSession launch(String vmId, int vmpck) {
        assertThat(fw.launchStart(vmId, GuestPolicy.DEFAULT)).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(fw.launchUpdate(vmId, PageType.NORMAL, 0x1000, PAGE).status()).isEqualTo(FirmwareStatus.SUCCESS);
        FirmwareResult secrets = fw.launchUpdate(vmId, PageType.SECRETS, 0x2000, null);
        assertThat(secrets.status()).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(fw.launchFinish(vmId, null, hostData())).isEqualTo(FirmwareStatus.SUCCESS);
        return new GuestSession(secrets.page(), vmpck);
    }

    /** Asks for a report and returns it, requiring firmware and response status success. */
    AttestationReport report(String vmId, GuestSession s, int keySel) {
        GuestSession.Sealed req = s.report(GuestSession.data(7), 0, keySel);
        ReportResponse rsp = respond(vmId, s, req);
        assertThat(rsp.responseStatus()).isEqualTo(ResponseStatus.SUCCESS);
        return AttestationReport.decode(rsp.report());
    }

    ReportResponse respond(String vmId, GuestSession s, GuestSession.Sealed req) {
        FirmwareResult r = fw.guestRequest(vmId, req.page());
        assertThat(r.status()).isEqualTo(FirmwareStatus.SUCCESS);
        return s.openReport(req, r.page());
    }

    static ECPublicKey vcekPublic(TcbVersion tcb) {
        return P384.publicKey(KEYS.vcekPrivateKey(P, FirmwareConfig.chipIdOf(P, 9), tcb).getS());
    }

    static byte[] hostData() {
        byte[] h = new byte[32];
        Arrays.fill(h, (byte) 0x5a);
        return h;
    }

    static byte[] page(int b) {
        byte[] p = new byte[4096];
        Arrays.fill(p, (byte) b);
        return p;
    }
}
