package dev.snpsim.guest.driver;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.KeyResponse;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.psp.firmware.SealedResponse;
import dev.snpsim.sim.offload.Offload;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test stand-in for host + firmware: reads the sealed request from the guest's shared page as
 * the host would, answers as the firmware would (sequence numbers checked per VMPCK; reports
 * carry the request's REPORT_DATA at 0x50), or fails the way a script step says.
 */
final class FakeFirmware {
    /** What the host and firmware do with one VMGEXIT. */
    enum Step {
        OK, BUSY, INVALID_LEN, FW_ERROR, BAD_TAG, WRONG_SEQNO, STATUS_ERR,
        /** OK, the response page written as a {@link SealedResponse} whose bytes come when read. */
        DEFERRED,
        /** DEFERRED, then the host flips one byte of the page before resuming the guest. */
        DEFERRED_TAMPERED,
        /** DEFERRED, but the page sealed under another VMPCK than the request's. */
        DEFERRED_OTHER_KEY
    }

    /** Sealed pages of DEFERRED steps computed so far (they are computed when first read). */
    final AtomicInteger deferredComputed = new AtomicInteger();

    static final int SECRETS_GPA = 0x1000;
    static final long MEMORY = 1 << 20;
    static final int CERT_PAGES_NEEDED = 2;

    final GuestMemory memory = new GuestMemory(MEMORY);
    final byte[][] vmpcks = new byte[4][];
    private final long[] lastSeqno = new long[4];

    FakeFirmware(long seed) {
        for (int i = 0; i < 4; i++) {
            byte[] k = new byte[32];
            Arrays.fill(k, (byte) (seed * 7 + i + 1));
            k[0] = (byte) i;
            vmpcks[i] = k;
            memory.firmwareWrite(SECRETS_GPA + 0x20 + 0x20L * i, k);
        }
    }

    /** The last sequence number the firmware answered with on VMPCK {@code n}. */
    long firmwareSeqno(int n) {
        return lastSeqno[n];
    }

    /** Handles one VMGEXIT according to {@code step}; writes the response page and returns the resumption. */
    Vcpu.VmgexitDone answer(Vcpu.Vmgexit v, Step step) {
        byte[] req = memory.hostRead(v.swExitInfo1(), GuestMemory.PAGE_SIZE);
        boolean ext = v.swExitCode() == SvmExitCode.EXT_GUEST_REQUEST;
        switch (step) {
            case BUSY:
                return done(ExitInfo2.of(VmmError.BUSY, 0).encode(), v.rbx());
            case INVALID_LEN:
                if (ext) {
                    return done(ExitInfo2.of(VmmError.INVALID_LEN, 0).encode(), CERT_PAGES_NEEDED);
                }
                break; // a plain request cannot be short of pages: answer it
            case FW_ERROR:
                return done(FirmwareStatus.INVALID_PARAM.code(), v.rbx());
            default:
                break;
        }
        GuestMessageHeader h = GuestMessageHeader.decode(req);
        int n = h.msgVmpck();
        GuestMessages.Opened o;
        try {
            o = GuestMessages.open(vmpcks[n], req, lastSeqno[n] + 1);
        } catch (AbiException e) {
            return done(FirmwareStatus.INVALID_PARAM.code(), v.rbx()); // the firmware refuses a replay or bad tag
        }
        long rspSeqno = h.seqno() + 1;
        lastSeqno[n] = rspSeqno;
        byte[] payload;
        if (h.msgType() == MessageType.REPORT_REQ) {
            ReportRequest rr = ReportRequest.decode(Arrays.copyOf(o.payload(), ReportRequest.SIZE));
            byte[] report = new byte[AttestationReport.SIZE];
            System.arraycopy(rr.reportData(), 0, report, 0x50, 64);
            report[0x30] = (byte) rr.vmpl();
            payload = (step == Step.STATUS_ERR ? ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS)
                    : ReportResponse.success(report)).encode();
            if (ext && v.rbx() > 0) {
                byte[] table = new byte[(int) v.rbx() * GuestMemory.PAGE_SIZE];
                Arrays.fill(table, 0, 24, (byte) 0x5a); // recognisable marker, not a real table
                memory.hostWrite(v.rax(), table);
            }
        } else {
            byte[] key = new byte[32];
            Arrays.fill(key, (byte) h.seqno());
            payload = new KeyResponse(step == Step.STATUS_ERR ? ResponseStatus.INVALID_PARAMETERS.code() : 0,
                    step == Step.STATUS_ERR ? new byte[32] : key).encode();
        }
        long sealSeqno = step == Step.WRONG_SEQNO ? rspSeqno + 2 : rspSeqno;
        GuestMessageHeader rh = GuestMessageHeader.of(h.msgType().response(), 1, sealSeqno, n);
        if (step == Step.DEFERRED || step == Step.DEFERRED_TAMPERED || step == Step.DEFERRED_OTHER_KEY) {
            byte[] key = step == Step.DEFERRED_OTHER_KEY ? vmpcks[(n + 1) % 4] : vmpcks[n];
            byte[] sealedPayload = payload;
            Offload.Task<byte[]> bytes = Offload.inline().submit(() -> {
                deferredComputed.incrementAndGet();
                return GuestMessages.seal(key, rh, sealedPayload);
            }, false);
            memory.hostWrite(v.swExitInfo2(), SealedResponse.of(rh.withMsgSize(payload.length), key, bytes));
            if (step == Step.DEFERRED_TAMPERED) {
                byte[] b = memory.hostRead(v.swExitInfo2() + 0x70, 1);
                memory.hostWrite(v.swExitInfo2() + 0x70, new byte[] {(byte) (b[0] ^ 1)});
            }
            return done(0, v.rbx());
        }
        byte[] rsp = GuestMessages.seal(vmpcks[n], rh, payload);
        if (step == Step.BAD_TAG) {
            rsp[0x60] ^= 1;
        }
        memory.hostWrite(v.swExitInfo2(), rsp);
        return done(0, v.rbx());
    }

    private static Vcpu.VmgexitDone done(long exitInfo2, long rbx) {
        return new Vcpu.VmgexitDone(exitInfo2, rbx);
    }
}
