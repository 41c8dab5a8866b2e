package dev.snpsim.psp.firmware;

import static dev.snpsim.abi.ghcb.FirmwareStatus.AEAD_OFLOW;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_PARAM;
import static dev.snpsim.abi.ghcb.FirmwareStatus.UNSUPPORTED;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.ghcb.FirmwareStatus;
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
import dev.snpsim.sim.offload.Offload;
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
    /**
     * A successful MSG_REPORT_RSP as {@link ReportResponse} encodes it (STATUS 0, REPORT_SIZE
     * 0x4A0, reserved zeros, then the report), its header the template of every report payload.
     */
    private static final byte[] REPORT_RSP_SUCCESS = ReportResponse.success(new byte[AttestationReport.SIZE]).encode();
    /** Where the report starts in that payload (0x20). */
    private static final int REPORT_AT = REPORT_RSP_SUCCESS.length - AttestationReport.SIZE;

    private final Firmware fw;
    private final ReportFactory reports;
    private final SigningKeys keys;

    GuestRequests(Firmware fw, ReportFactory reports, SigningKeys keys) {
        this.fw = fw;
        this.reports = reports;
        this.keys = keys;
    }

    FirmwareResult handle(GuestContext g, byte[] page) {
        return finish(g, prepare(g, page), null, false);
    }

    /**
     * Everything of a guest request up to its signature, with no change to the firmware: the
     * header, seqno and tag checks, the opened payload and the response (or the unsigned report
     * and its key). {@link #finish} completes it; between the two nothing else may run on the
     * firmware (the PSP is serial, and {@link Firmware} checks it).
     */
    Prepared prepare(GuestContext g, byte[] page) {
        if (page == null || page.length != GuestMessages.PAGE) {
            return Prepared.failed(INVALID_PARAM);
        }
        GuestMessageHeader h;
        try {
            h = GuestMessageHeader.decode(page);
        } catch (AbiException e) {
            return Prepared.failed(INVALID_PARAM);
        }
        if (!h.msgType().isRequest()) {
            return Prepared.failed(INVALID_PARAM);
        }
        int n = h.msgVmpck();
        long expected = g.lastSeqno(n) + 1;
        if (h.seqno() != expected) {
            return Prepared.failed(INVALID_PARAM);
        }
        if (expected >= GuestMessages.MAX_SEQNO) {
            return Prepared.failed(AEAD_OFLOW);
        }
        byte[] vmpck = g.vmpck(n);
        GuestMessages.Opened opened;
        try {
            opened = GuestMessages.open(vmpck, page, expected);
        } catch (AbiException e) {
            return Prepared.failed(INVALID_PARAM);
        }
        Prepared p = new Prepared(null, h, n, expected, vmpck);
        switch (h.msgType()) {
            case REPORT_REQ -> report(p, g, n, opened.payload());
            case KEY_REQ -> p.response = key(g, n, opened.payload());
            default -> {
                return Prepared.failed(UNSUPPORTED);
            }
        }
        return p;
    }

    /**
     * Completes the prepared request: the sealed response (the value of {@code sealed} when
     * given: the same bytes, computed ahead by {@link #response}), and the seqno advances. With
     * {@code defer}, the result holds {@code sealed} as a {@link SealedResponse} instead of
     * waiting for its bytes.
     */
    FirmwareResult finish(GuestContext g, Prepared p, Offload.Task<byte[]> sealed, boolean defer) {
        if (p.failure != null) {
            return FirmwareResult.of(p.failure);
        }
        if (defer && sealed != null) {
            g.setLastSeqno(p.vmpckIndex, p.expected + 1);
            return FirmwareResult.successDeferred(new SealedResponse(
                    responseHeader(p).withMsgSize(REPORT_RSP_SUCCESS.length), p.vmpck, sealed));
        }
        byte[] page = sealed != null ? sealed.join() : response(p);
        g.setLastSeqno(p.vmpckIndex, p.expected + 1);
        return FirmwareResult.successOwning(page); // sealed just now, referenced nowhere else
    }

    /** The response's header: seqno + 1, type + 1, the request's version and VMPCK (no size, no tag). */
    private static GuestMessageHeader responseHeader(Prepared p) {
        return GuestMessageHeader.of(p.header.msgType().response(), p.header.msgVersion(), p.expected + 1, p.vmpckIndex);
    }

    /**
     * The sealed response page of a prepared request: signs the report if it needs it, then
     * encodes and seals. A pure function of the prepared values, so it may run on a worker.
     */
    static byte[] response(Prepared p) {
        byte[] response = p.response;
        if (response == null) {
            response = reportPayload(p.unsigned, p.key);
        }
        return GuestMessages.seal(p.vmpck, responseHeader(p), response);
    }

    /**
     * The MSG_REPORT_RSP payload of a successful request: the report encoded once, straight into
     * the payload, and signed there (the signature over its bytes 0x000..0x29F written into
     * 0x2A0..). The same bytes as
     * {@code ReportResponse.success(ReportSigner.sign(report, key).encode()).encode()}, or, with
     * no key, of the report as it is (its signature zero).
     */
    static byte[] reportPayload(AttestationReport report, ECPrivateKeyParameters keyOrNull) {
        byte[] payload = new byte[REPORT_RSP_SUCCESS.length];
        System.arraycopy(REPORT_RSP_SUCCESS, 0, payload, 0, REPORT_AT);
        report.encodeInto(payload, REPORT_AT);
        if (keyOrNull != null) {
            ReportSigner.signEncoded(payload, REPORT_AT, keyOrNull);
        }
        return payload;
    }

    /** A guest request prepared by {@link #prepare}. */
    static final class Prepared {
        final FirmwareStatus failure;
        final GuestMessageHeader header;
        final int vmpckIndex;
        final long expected;
        final byte[] vmpck;
        /** The complete response payload, or null while a report awaits its signature. */
        byte[] response;
        /** The report to sign with {@link #key}, when {@link #response} is null. */
        AttestationReport unsigned;
        ECPrivateKeyParameters key;

        private Prepared(FirmwareStatus failure, GuestMessageHeader header, int vmpckIndex, long expected,
                         byte[] vmpck) {
            this.failure = failure;
            this.header = header;
            this.vmpckIndex = vmpckIndex;
            this.expected = expected;
            this.vmpck = vmpck;
        }

        static Prepared failed(FirmwareStatus status) {
            return new Prepared(status, null, 0, 0, null);
        }

        /** True when the answer needs a signature: the report and key to compute it from. */
        boolean needsSignature() {
            return failure == null && response == null;
        }
    }

    private void report(Prepared p, GuestContext g, int vmpckIndex, byte[] payload) {
        ReportRequest req;
        try {
            req = ReportRequest.decode(payload);
        } catch (AbiException e) {
            p.response = ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS).encode();
            return;
        }
        if (req.vmpl() < vmpckIndex) {
            p.response = ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS).encode();
            return;
        }
        SigningKey which;
        ECPrivateKeyParameters key;
        boolean useVlek = req.keySel() == ReportRequest.KEY_SEL_VLEK
                || (req.keySel() == ReportRequest.KEY_SEL_DEFAULT && keys.vlek() != null);
        if (useVlek) {
            if (keys.vlek() == null) {
                p.response = ReportResponse.failure(ResponseStatus.INVALID_KEY).encode();
                return;
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
        if (key == null) {
            p.response = reportPayload(r, null);
        } else {
            p.unsigned = r;
            p.key = key;
        }
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
