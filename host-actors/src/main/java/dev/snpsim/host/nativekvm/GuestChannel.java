package dev.snpsim.host.nativekvm;

import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import java.util.Arrays;

/**
 * The guest driver's VMPCK0 channel as the bridge plays it for one native VM (Linux
 * {@code sev-guest}, SPEC.md section 5): one request at a time for the whole guest (the
 * driver's mutex), sequence numbers {@code c + 1} on the request and {@code c + 2} on the
 * response, the same sealed message resent on a BUSY retry, the message resent as a plain
 * request after INVALID_LEN, and the key wiped on any other failure.
 *
 * <p>The channel is held by one vCPU from the doorbell that seals a message until that
 * message is consumed (answered, or its seqno used by the plain resend) or fails, across the
 * guest's BUSY retries, which come back as more doorbells from the same vCPU with the same
 * guest sequence number. Other vCPUs wait in {@link #begin}, on their own dedicated threads.
 * Thread-safe; wall-clock waits only (the native package runs in real time).
 */
final class GuestChannel {
    /** MSG_VERSION of the requests (REPORT_REQ version 1). */
    static final int MSG_VERSION = 1;
    /** VMPCK used: 0, as the Linux driver does for the kernel's own requests. */
    static final int VMPCK = 0;
    private static final long WAIT_SLICE_MS = 20;

    /** What a doorbell must send; {@code page} is the sealed request. */
    record Turn(Kind kind, long seqno, byte[] page, long startedNanos, long pagesNeeded) {
    }

    /** Whether a turn is a new message, a BUSY retry of the pending one, or the channel is unusable. */
    enum Kind {
        /** A new message was sealed with the next seqno. */
        NEW,
        /** The pending message, resent unchanged (after BUSY). */
        RETRY,
        /** The pending message, resent as a plain request after INVALID_LEN (after BUSY). */
        RETRY_PLAIN,
        /** The key is wiped: the driver sends nothing (Linux answers -ENOTTY). */
        WIPED,
        /** The channel was closed while waiting. */
        CLOSED
    }

    private final byte[] vmpck;
    private long counter;
    private int owner = -1;
    private long ownerGuestSeq;
    private long pendingSeqno;
    private byte[] pendingPage;
    private long pendingStart;
    private boolean pendingPlain;
    private long pendingPages;
    private boolean wiped;
    private boolean closed;

    /** @param vmpck0 the 32-byte key read from the guest's secrets page */
    GuestChannel(byte[] vmpck0) {
        if (vmpck0 == null || vmpck0.length != GuestMessages.KEY_SIZE) {
            throw KvmException.of("vmpck0 is %s bytes (expected: 32)",
                    vmpck0 == null ? "missing" : String.valueOf(vmpck0.length));
        }
        this.vmpck = vmpck0.clone();
    }

    /**
     * Waits until {@code vcpu} may use the channel and returns what it must send for the
     * request the guest numbered {@code guestSeq}: the pending message again when the same vCPU
     * retries the same request, else a new REPORT_REQ carrying {@code payload}. A turn's
     * {@code startedNanos} is when its message was sealed (after the wait for the channel).
     */
    synchronized Turn begin(int vcpu, long guestSeq, byte[] payload) throws InterruptedException {
        while (!closed && owner != -1 && owner != vcpu) {
            wait(WAIT_SLICE_MS);
        }
        if (closed) {
            return new Turn(Kind.CLOSED, 0, null, 0, 0);
        }
        long nowNanos = System.nanoTime();
        if (wiped) {
            return new Turn(Kind.WIPED, 0, null, nowNanos, 0);
        }
        if (owner == vcpu) {
            if (guestSeq == ownerGuestSeq) {
                return new Turn(pendingPlain ? Kind.RETRY_PLAIN : Kind.RETRY, pendingSeqno, pendingPage.clone(),
                        pendingStart, pendingPages);
            }
            // the guest moved on without the pending message being consumed: its seqno can never
            // be used for other plaintext, so the driver gives the key up
            wipe();
            return new Turn(Kind.WIPED, 0, null, nowNanos, 0);
        }
        long seqno = counter + 1;
        if (seqno > GuestMessages.MAX_REQUEST_SEQNO) {
            wipe();
            return new Turn(Kind.WIPED, 0, null, nowNanos, 0);
        }
        owner = vcpu;
        ownerGuestSeq = guestSeq;
        pendingSeqno = seqno;
        pendingPage = GuestMessages.seal(vmpck, GuestMessageHeader.of(MessageType.REPORT_REQ, MSG_VERSION, seqno,
                VMPCK), payload);
        pendingStart = nowNanos;
        pendingPlain = false;
        pendingPages = 0;
        return new Turn(Kind.NEW, seqno, pendingPage.clone(), nowNanos, 0);
    }

    /** INVALID_LEN answered the extended request: resend it plain; remember the pages needed. */
    synchronized void toPlain(int vcpu, long pagesNeeded) {
        requireOwner(vcpu, "plain resend");
        pendingPlain = true;
        pendingPages = pagesNeeded;
    }

    /**
     * The firmware answered the pending message: opens the response (seqno + 1), consumes
     * the seqno pair and frees the channel. A response that does not open wipes the key and
     * is thrown (as {@link dev.snpsim.abi.AbiException}).
     */
    synchronized GuestMessages.Opened complete(int vcpu, byte[] responsePage) {
        requireOwner(vcpu, "complete");
        try {
            GuestMessages.Opened o = GuestMessages.open(vmpck, responsePage, pendingSeqno + 1);
            if (o.header().msgType() != MessageType.REPORT_REQ.response()) {
                throw KvmException.of("response msg_type at 0x34 is %s (expected: %s)", o.header().msgType(),
                        MessageType.REPORT_REQ.response());
            }
            consume();
            return o;
        } catch (RuntimeException e) {
            wipe();
            throw e;
        }
    }

    /** The plain resend after INVALID_LEN went through: the seqno pair is used (Linux does not decrypt it). */
    synchronized void consumedByPlainResend(int vcpu) {
        requireOwner(vcpu, "plain resend done");
        consume();
    }

    /** Any other failure: the driver wipes the key ("to prevent IV reuse") and frees the channel. */
    synchronized void fail(int vcpu) {
        if (owner == vcpu) {
            wipe();
        }
    }

    /** Ends all waits; later {@link #begin} calls return {@link Kind#CLOSED}. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The last seqno used ({@code c}). */
    synchronized long counter() {
        return counter;
    }

    synchronized boolean wiped() {
        return wiped;
    }

    private void consume() {
        counter += 2;
        release();
    }

    private void wipe() {
        wiped = true;
        Arrays.fill(vmpck, (byte) 0);
        release();
    }

    private void release() {
        owner = -1;
        pendingPage = null;
        pendingPlain = false;
        notifyAll();
    }

    private void requireOwner(int vcpu, String what) {
        if (owner != vcpu) {
            throw KvmException.of("%s by vcpu %d but the channel is held by %d", what, vcpu, owner);
        }
    }
}
