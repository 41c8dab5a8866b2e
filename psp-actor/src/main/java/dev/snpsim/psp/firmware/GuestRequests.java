package dev.snpsim.psp.firmware;

import static dev.snpsim.abi.ghcb.FirmwareStatus.AEAD_OFLOW;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_PARAM;
import static dev.snpsim.abi.ghcb.FirmwareStatus.UNSUPPORTED;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.msg.KeyResponse;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.sign.ReportSigner;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * SNP_GUEST_REQUEST (SNP ABI spec, "Guest Messages", MSG_REPORT_REQ, MSG_KEY_REQ).
 *
 * <p>Firmware statuses (the request is not consumed, the seqno does not advance): a page that
 * is not 4 KiB, a malformed header, a response type, a seqno other than last + 1, or a tag
 * that does not authenticate under the named VMPCK: INVALID_PARAM; a seqno whose response
 * would not fit 32 bits: AEAD_OFLOW; a defined message type not modelled (CPUID, export,
 * import, absorb, VMRK, TSC info): UNSUPPORTED.
 *
 * <p>Otherwise the firmware answers SUCCESS with a response sealed under the same VMPCK with
 * seqno + 1, type + 1 and the request's message version; problems with the payload travel in
 * the response's STATUS: INVALID_PARAMETERS for a malformed payload or a VMPL below the VMPCK's
 * (VMPCK n belongs to VMPL n, a request may only ask for VMPL &gt;= n), INVALID_KEY for KEY_SEL
 * VLEK with none loaded, and for derived keys from VMRK (no migration agent is modelled) or
 * from the chip key while MASK_CHIP_KEY is set.
 */
final class GuestRequests {
    private final Firmware fw;
    private final ReportFactory reports;
    private final SigningKeys keys;

    GuestRequests(Firmware fw, ReportFactory reports, SigningKeys keys) {
        this.fw = fw;
        this.reports = reports;
        this.keys = keys;
    }

    FirmwareResult handle(GuestContext g, byte[] page) {
        if (page == null || page.length != GuestMessages.PAGE) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        GuestMessageHeader h;
        try {
            h = GuestMessageHeader.decode(page);
        } catch (AbiException e) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        if (!h.msgType().isRequest()) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        int n = h.msgVmpck();
        long expected = g.lastSeqno(n) + 1;
        if (h.seqno() != expected) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        if (expected >= GuestMessages.MAX_SEQNO) {
            return FirmwareResult.of(AEAD_OFLOW);
        }
        byte[] vmpck = g.vmpck(n);
        GuestMessages.Opened opened;
        try {
            opened = GuestMessages.open(vmpck, page, expected);
        } catch (AbiException e) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        byte[] response = switch (h.msgType()) {
            case REPORT_REQ -> report(g, n, opened.payload());
            case KEY_REQ -> key(g, n, opened.payload());
            default -> null;
        };
        if (response == null) {
            return FirmwareResult.of(UNSUPPORTED);
        }
        long rspSeqno = expected + 1;
        byte[] sealed = GuestMessages.seal(vmpck,
                GuestMessageHeader.of(h.msgType().response(), h.msgVersion(), rspSeqno, n), response);
        g.setLastSeqno(n, rspSeqno);
        return FirmwareResult.success(sealed);
    }

    private byte[] report(GuestContext g, int vmpckIndex, byte[] payload) {
        ReportRequest req;
        try {
            req = ReportRequest.decode(payload);
        } catch (AbiException e) {
            return ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS).encode();
        }
        if (req.vmpl() < vmpckIndex) {
            return ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS).encode();
        }
        SigningKey which;
        ECPrivateKeyParameters key;
        boolean useVlek = req.keySel() == ReportRequest.KEY_SEL_VLEK
                || (req.keySel() == ReportRequest.KEY_SEL_DEFAULT && keys.vlek() != null);
        if (useVlek) {
            if (keys.vlek() == null) {
                return ReportResponse.failure(ResponseStatus.INVALID_KEY).encode();
            }
            which = SigningKey.VLEK;
            key = keys.vlek();
        } else if (fw.maskChipKey()) {
            which = SigningKey.NONE;
            key = null;
        } else {
            which = SigningKey.VCEK;
            key = keys.vcek(fw.reportedTcb());
        }
        AttestationReport r = reports.build(g, req.reportData(), req.vmpl(), which);
        if (key != null) {
            r = r.withSignature(ReportSigner.signatureOf(r.signedBytes(), key));
        }
        return ReportResponse.success(r.encode()).encode();
    }

    private byte[] key(GuestContext g, int vmpckIndex, byte[] payload) {
        KeyRequest req;
        try {
            req = KeyRequest.decode(payload);
        } catch (AbiException e) {
            return keyFailure(ResponseStatus.INVALID_PARAMETERS);
        }
        if (req.vmpl() < vmpckIndex) {
            return keyFailure(ResponseStatus.INVALID_PARAMETERS);
        }
        if (req.rootKeySelect() == KeyRequest.ROOT_KEY_VMRK || fw.maskChipKey()) {
            return keyFailure(ResponseStatus.INVALID_KEY);
        }
        if (!GuestKeyDerivation.allowed(fw, g, req)) {
            return keyFailure(ResponseStatus.INVALID_PARAMETERS);
        }
        byte[] derived = GuestKeyDerivation.derive(keys, g, req);
        return new KeyResponse(ResponseStatus.SUCCESS.code(), derived).encode();
    }

    private static byte[] keyFailure(ResponseStatus s) {
        return new KeyResponse(s.code(), new byte[32]).encode();
    }
}
