package dev.snpsim.host.nativekvm;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict;
import dev.snpsim.host.kvm.Vcpu;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers a native VM's doorbells through the simulated host, playing the part of the guest's
 * {@code sev-guest} driver that the tiny guest program cannot (AES-GCM). Runs on the ringing
 * vCPU's dedicated thread and waits there (for the guest channel, for the simulated vCPU's
 * answer), never on an actor.
 *
 * <p>Per doorbell: read the guest's request sequence number from its request page; take the
 * guest channel (one request at a time per guest, as the driver's mutex); a new request gets a
 * REPORT_REQ sealed with VMPCK0 and the next seqno, a BUSY retry the same sealed page; write it
 * into the simulated guest's request page (shared, at the same GPA as in the real guest) and
 * send {@link Vcpu.Vmgexit} to the simulated vCPU of the same index. Then:
 * <ul>
 *   <li>BUSY: handed to the guest, which rings again (the pending message stays); after 60 s of
 *       BUSY the request fails and the key is wiped, as Linux does ({@code -ETIMEDOUT});</li>
 *   <li>INVALID_LEN: resent at once as a plain request so the firmware consumes the seqno, then
 *       INVALID_LEN with the pages needed is handed to the guest, which asks again with a new
 *       request;</li>
 *   <li>success: the response is opened, the response page and the certificate buffer are
 *       copied from simulated into real guest memory, and the report is verified against the
 *       table and the trusted ARK, with the REPORT_DATA asked for;</li>
 *   <li>anything else: the key is wiped (every later request fails), the answer passed on.</li>
 * </ul>
 */
final class DriverBridge implements GuestRequestHandler {
    /** Sends one VMGEXIT to the simulated vCPU {@code vcpu} and completes with its answer. */
    @FunctionalInterface
    interface VmgexitPort {
        CompletionStage<Vcpu.VmgexitDone> vmgexit(int vcpu, long swExitCode, long swExitInfo1, long swExitInfo2,
                long rax, long rbx);
    }

    private static final long POLL_MS = 20;
    /** Linux's SNP_REQ_MAX_RETRY_DURATION: how long the driver keeps a throttled request before giving up. */
    static final Duration MAX_RETRY_DURATION = Duration.ofSeconds(60);
    private static final int REPORT_DATA_SIZE = 64;
    private static final byte[] MARKER = "snpsim-native".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final dev.snpsim.host.kvm.GuestMemory simMemory;
    private final GuestChannel channel;
    private final VmgexitPort port;
    private final ReportVerifier verifier;
    private final X509Certificate ark;
    private final Duration timeout;
    private final BridgeStats stats;
    private volatile boolean stopping;

    /**
     * @param simMemory the simulated guest's memory: request, response and certificate pages shared
     *                  at the native VM's GPAs
     * @param vmpck0    the key from the simulated guest's secrets page
     * @param port      the way to the simulated vCPUs
     * @param verifier  how reports are judged
     * @param ark       the trust anchor (the host's AMD root)
     * @param timeout   how long one VMGEXIT may take before the request fails
     * @param stats     where to count
     */
    DriverBridge(dev.snpsim.host.kvm.GuestMemory simMemory, byte[] vmpck0, VmgexitPort port, ReportVerifier verifier,
            X509Certificate ark, Duration timeout, BridgeStats stats) {
        this.simMemory = simMemory;
        this.channel = new GuestChannel(vmpck0);
        this.port = port;
        this.verifier = verifier;
        this.ark = ark;
        this.timeout = timeout;
        this.stats = stats;
    }

    BridgeStats stats() {
        return stats;
    }

    GuestChannel channel() {
        return channel;
    }

    /** Stops answering: waiting doorbells are left unanswered, for the VM's close() to stop their vCPUs. */
    void close() {
        stopping = true;
        channel.close();
    }

    @Override
    public CompletionStage<NativeGuestResult> handle(NativeGuestRequest request, GuestMemory shared) {
        stats.doorbell();
        int vcpu = request.vcpuIndex();
        if (!request.extended()) {
            stats.failure("vcpu " + vcpu + ": the bridge plays the driver for extended requests only");
            return CompletableFuture.completedFuture(NativeGuestResult.generic());
        }
        long guestSeq = shared.readLong(request.requestGpa() + GuestProgram.REQUEST_SEQNO_OFFSET);
        byte[] reportData = reportData(vcpu, guestSeq);
        GuestChannel.Turn turn;
        try {
            turn = channel.begin(vcpu, guestSeq, new ReportRequest(reportData, 0, ReportRequest.KEY_SEL_DEFAULT)
                    .encode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CompletableFuture<>();
        }
        switch (turn.kind()) {
            case CLOSED:
                return new CompletableFuture<>();
            case WIPED:
                stats.failure("vcpu " + vcpu + ": vmpck0 is wiped, the driver sends nothing");
                return CompletableFuture.completedFuture(NativeGuestResult.generic());
            case NEW:
                stats.newRequest();
                break;
            default:
                break;
        }
        try {
            NativeGuestResult r = exchange(request, shared, turn, reportData);
            return r == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(r);
        } catch (RuntimeException e) {
            channel.fail(vcpu);
            stats.failure("vcpu " + vcpu + ": " + e.getMessage());
            stats.requestDone(System.nanoTime() - turn.startedNanos());
            return CompletableFuture.completedFuture(NativeGuestResult.generic());
        }
    }

    /** The answer for the guest, or null when stopping. */
    private NativeGuestResult exchange(NativeGuestRequest request, GuestMemory shared, GuestChannel.Turn turn,
            byte[] reportData) {
        int vcpu = request.vcpuIndex();
        boolean plain = turn.kind() == GuestChannel.Kind.RETRY_PLAIN;
        long pagesNeeded = turn.pagesNeeded();
        simMemory.guestWrite(request.requestGpa(), turn.page());
        while (true) {
            stats.vmgexit();
            Vcpu.VmgexitDone done = await(vcpu, port.vmgexit(vcpu,
                    plain ? SvmExitCode.GUEST_REQUEST : SvmExitCode.EXT_GUEST_REQUEST, request.requestGpa(),
                    request.responseGpa(), plain ? 0 : request.certGpa(), plain ? 0 : request.npages()));
            if (done == null) {
                return null;
            }
            NativeGuestResult answer = new NativeGuestResult(done.swExitInfo2(), done.rbx());
            if (answer.vmmError() == GuestProgram.VMM_ERROR_BUSY) {
                stats.busy();
                if (System.nanoTime() - turn.startedNanos() > MAX_RETRY_DURATION.toNanos()) {
                    // Linux gives up with -ETIMEDOUT and, as after any other failure, wipes the key
                    channel.fail(vcpu);
                    stats.failure("vcpu " + vcpu + ": throttled for more than " + MAX_RETRY_DURATION
                            + " (-ETIMEDOUT), vmpck0 wiped");
                    stats.requestDone(System.nanoTime() - turn.startedNanos());
                    return NativeGuestResult.generic();
                }
                return NativeGuestResult.busy();
            }
            if (answer.vmmError() == GuestProgram.VMM_ERROR_INVALID_LEN && !plain) {
                stats.invalidLen();
                pagesNeeded = done.rbx();
                channel.toPlain(vcpu, pagesNeeded);
                plain = true;
                continue;
            }
            if (done.swExitInfo2() != 0) {
                channel.fail(vcpu);
                stats.failure(String.format(java.util.Locale.ROOT, "vcpu %d: %s answered sw_exitinfo2 0x%x",
                        vcpu, plain ? "plain resend" : "request", done.swExitInfo2()));
                stats.requestDone(System.nanoTime() - turn.startedNanos());
                return answer;
            }
            if (plain) {
                channel.consumedByPlainResend(vcpu);
                stats.requestDone(System.nanoTime() - turn.startedNanos());
                return NativeGuestResult.invalidLen(pagesNeeded);
            }
            return answered(request, shared, turn, reportData);
        }
    }

    private NativeGuestResult answered(NativeGuestRequest request, GuestMemory shared, GuestChannel.Turn turn,
            byte[] reportData) {
        int vcpu = request.vcpuIndex();
        byte[] response = simMemory.guestRead(request.responseGpa(), GuestMessages.PAGE);
        GuestMessages.Opened opened = channel.complete(vcpu, response);
        byte[] certs = simMemory.guestRead(request.certGpa(), (int) request.certBufferBytes());
        shared.write(request.responseGpa(), response);
        shared.write(request.certGpa(), certs);
        stats.requestDone(System.nanoTime() - turn.startedNanos());
        ReportResponse rr = ReportResponse.decode(opened.payload());
        if (rr.status() != 0) {
            stats.failure(String.format(java.util.Locale.ROOT, "vcpu %d: report response status 0x%x", vcpu,
                    rr.status()));
            return NativeGuestResult.ok(0);
        }
        verify(vcpu, rr.report(), certs, reportData);
        return NativeGuestResult.ok(0);
    }

    private void verify(int vcpu, byte[] report, byte[] certs, byte[] reportData) {
        Verdict v;
        try {
            v = verifier.verify(report, CertTable.decode(certs), ark);
        } catch (RuntimeException e) { // a malformed table: the relying party's problem, not the channel's
            stats.verifyFailure("vcpu " + vcpu + ": " + e.getMessage());
            return;
        }
        if (!v.ok()) {
            stats.verifyFailure("vcpu " + vcpu + ": " + v);
        } else if (!Arrays.equals(v.report().reportData(), reportData)) {
            stats.verifyFailure("vcpu " + vcpu + ": report_data is not the one asked for");
        } else {
            stats.verified();
        }
    }

    /** The simulated vCPU's answer; null when stopping; throws on failure or timeout. */
    private Vcpu.VmgexitDone await(int vcpu, CompletionStage<Vcpu.VmgexitDone> stage) {
        CompletableFuture<Vcpu.VmgexitDone> f = stage.toCompletableFuture();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (stopping) {
                return null;
            }
            try {
                return f.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw KvmException.of("simulated vcpu %d did not answer the vmgexit within %s", vcpu, timeout);
                }
            } catch (ExecutionException e) {
                throw new KvmException("vmgexit to simulated vcpu " + vcpu + " failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** REPORT_DATA: a marker, the vCPU and the guest's request number, so each report is told apart. */
    static byte[] reportData(int vcpu, long guestSeq) {
        byte[] d = new byte[REPORT_DATA_SIZE];
        System.arraycopy(MARKER, 0, d, 0, MARKER.length);
        for (int i = 0; i < 4; i++) {
            d[16 + i] = (byte) (vcpu >>> (8 * i));
        }
        for (int i = 0; i < 8; i++) {
            d[20 + i] = (byte) (guestSeq >>> (8 * i));
        }
        return d;
    }
}
