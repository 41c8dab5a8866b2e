package dev.snpsim.psp;

import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.msg.KeyResponse;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;

/**
 * The guest side of SNP_GUEST_REQUEST for tests: seals MSG_REPORT_REQ / MSG_KEY_REQ with a
 * VMPCK taken from the secrets page the firmware returned, counting seqnos as the Linux driver
 * does (request c + 1, response c + 2).
 */
public final class GuestSession {
    /** A sealed request page and the seqno it carries. */
    public record Sealed(long seqno, byte[] page) {
    }

    private final byte[] vmpck;
    private final int vmpckIndex;
    private long counter;

    public GuestSession(byte[] secretsPage, int vmpckIndex) {
        this.vmpck = SecretsPage.decode(secretsPage).vmpck(vmpckIndex);
        this.vmpckIndex = vmpckIndex;
    }

    /** Seals the next MSG_REPORT_REQ (advances the counter by 2, as if its answer arrived). */
    public Sealed report(byte[] reportData, int vmpl, int keySel) {
        return seal(MessageType.REPORT_REQ, new ReportRequest(reportData, vmpl, keySel).encode());
    }

    /** MSG_REPORT_REQ at this session's VMPL with the default KEY_SEL. */
    public Sealed report(byte[] reportData) {
        return report(reportData, vmpckIndex, ReportRequest.KEY_SEL_DEFAULT);
    }

    public Sealed key(KeyRequest req) {
        return seal(MessageType.KEY_REQ, req.encode());
    }

    /** Seals any payload as the next message of {@code type}. */
    public Sealed seal(MessageType type, byte[] payload) {
        long seqno = counter + 1;
        counter += 2;
        return new Sealed(seqno, GuestMessages.seal(vmpck, GuestMessageHeader.of(type, 1, seqno, vmpckIndex), payload));
    }

    /** Seals with an explicit seqno, leaving the counter alone. */
    public Sealed sealAt(long seqno, MessageType type, byte[] payload) {
        return new Sealed(seqno, GuestMessages.seal(vmpck, GuestMessageHeader.of(type, 1, seqno, vmpckIndex), payload));
    }

    /** Opens the response to {@code request}: seqno must be request + 1, type REPORT_RSP. */
    public ReportResponse openReport(Sealed request, byte[] responsePage) {
        GuestMessages.Opened o = GuestMessages.open(vmpck, responsePage, request.seqno() + 1);
        if (o.header().msgType() != MessageType.REPORT_RSP) {
            throw new AssertionError("response type is " + o.header().msgType());
        }
        return ReportResponse.decode(o.payload());
    }

    public KeyResponse openKey(Sealed request, byte[] responsePage) {
        GuestMessages.Opened o = GuestMessages.open(vmpck, responsePage, request.seqno() + 1);
        if (o.header().msgType() != MessageType.KEY_RSP) {
            throw new AssertionError("response type is " + o.header().msgType());
        }
        return KeyResponse.decode(o.payload());
    }

    /** Report data filled with {@code b}. */
    public static byte[] data(int b) {
        byte[] d = new byte[64];
        java.util.Arrays.fill(d, (byte) b);
        return d;
    }
}
