package dev.snpsim.guest.driver;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.psp.firmware.SealedResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The guest's end of the encrypted channel to the firmware through one VMPCK: the key and the
 * sequence counter both live in the guest's private secrets page (Linux keeps the counter in the
 * page's OS area, so it survives a driver reload), sealing claims sequence numbers from a
 * {@link SeqnoGuard}, opening checks sequence number, type and version, and {@link #wipe()}
 * zeroes the key in the secrets page for good.
 *
 * <p>Sequence numbers: with {@code c} the counter, a request carries {@code c + 1}, the response
 * {@code c + 2}; {@link #consume()} then adds 2. Plain class, no actors, not thread-safe.
 */
public final class MessageChannel {
    /** MSG_VERSION the driver puts on its requests. */
    public static final int MSG_VERSION = 1;

    private final GuestMemory memory;
    private final long secretsGpa;
    private final int vmpck;
    private final SeqnoGuard guard;
    /** Where the key is read for each use; all zeros between calls (the channel keeps no key copy). */
    private final byte[] key = new byte[SecretsLayout.VMPCK_SIZE];

    /**
     * @param memory     the guest's memory
     * @param secretsGpa the secrets page (private)
     * @param vmpck      which VMPCK (0..3) this channel uses
     * @param guard      the guest's reuse check
     */
    public MessageChannel(GuestMemory memory, long secretsGpa, int vmpck, SeqnoGuard guard) {
        if (vmpck < 0 || vmpck >= SecretsLayout.VMPCKS) {
            throw new IllegalArgumentException("vmpck is " + vmpck + " (expected: 0..3)");
        }
        this.memory = memory;
        this.secretsGpa = secretsGpa;
        this.vmpck = vmpck;
        this.guard = guard;
    }

    public int vmpck() {
        return vmpck;
    }

    /** The counter {@code c}: the last sequence number used (a response's). */
    public long counter() {
        return Integer.toUnsignedLong(memory.guestReadU32(secretsGpa + SecretsLayout.seqnoOffset(vmpck)));
    }

    /** True once the key is all zeros (wiped, or never provisioned). */
    public boolean wiped() {
        readKey();
        try {
            return isZero(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * True when {@code b} is all zeros. Not {@code Arrays.equals(key, zeros)} followed by the fill
     * of the key: HotSpot's C2 (17.0.15 and 25.0.3 measured) may move the fill ahead of the
     * compare intrinsic, and then every key reads as wiped once {@link #wiped()} is compiled. See
     * MessageChannelJitTest. A plain loop does not have the problem.
     */
    private static boolean isZero(byte[] b) {
        int bits = 0;
        for (byte x : b) {
            bits |= x;
        }
        return bits == 0;
    }

    /** The next request's sequence number, {@code c + 1}; 0 when the counter is exhausted (Linux refuses then). */
    public long nextSeqno() {
        long next = counter() + 1;
        return next > GuestMessages.MAX_REQUEST_SEQNO ? 0 : next;
    }

    /**
     * Seals a request with sequence number {@link #nextSeqno()} into a 4 KiB page.
     *
     * @throws IllegalStateException when the channel is wiped, the counter exhausted, or the
     *                               sequence number was used before (never, if the driver is right)
     */
    public byte[] seal(MessageType type, byte[] payload) {
        readKey(); // once: checked for the wipe, then sealed with
        try {
            if (isZero(key)) {
                throw new IllegalStateException("vmpck" + vmpck + " is wiped");
            }
            long seqno = nextSeqno();
            if (seqno == 0) {
                throw new IllegalStateException("vmpck" + vmpck + " sequence counter exhausted at " + counter());
            }
            guard.claim(vmpck, seqno);
            return GuestMessages.seal(key, GuestMessageHeader.of(type, MSG_VERSION, seqno, vmpck), payload);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The firmware consumed the request: {@code c += 2}. */
    public void consume() {
        long c = counter() + 2;
        guard.seen(vmpck, c);
        memory.guestWriteU32(secretsGpa + SecretsLayout.seqnoOffset(vmpck), (int) c);
    }

    /**
     * Opens the response to a request sealed with {@code requestSeqno} of {@code requestType}:
     * the response must carry {@code requestSeqno + 1}, the response type and the request's
     * version, and authenticate under this key.
     *
     * @throws AbiException naming what did not match
     */
    public GuestMessages.Opened open(byte[] page, MessageType requestType, long requestSeqno) {
        readKey();
        try {
            GuestMessages.Opened o = GuestMessages.open(key, page, requestSeqno + 1);
            GuestMessageHeader h = o.header();
            if (h.msgType() != requestType.response()) {
                throw AbiException.of("response msg_type at 0x34 is %s (expected: %s)",
                        h.msgType().name().toLowerCase(Locale.ROOT), requestType.response().name().toLowerCase(Locale.ROOT));
            }
            if (h.msgVersion() != MSG_VERSION) {
                throw AbiException.of("response msg_version at 0x35 is %d (expected: %d)", h.msgVersion(), MSG_VERSION);
            }
            if (h.msgVmpck() != vmpck) {
                throw AbiException.of("response msg_vmpck at 0x3c is %d (expected: %d)", h.msgVmpck(), vmpck);
            }
            return o;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The report in a response the host wrote as a {@link SealedResponse} that nobody has read
     * since, opened when first needed, or null when this cannot be decided now (then open the
     * page's bytes with {@link #open}, which names what is wrong).
     *
     * <p>It is decided now when the response's clear header carries what {@link #open} checks
     * ({@code requestSeqno + 1}, the response type, the request's version, this VMPCK) and the
     * page is sealed with the key this channel holds now: an untouched page sealed so opens, and
     * to exactly what the firmware sealed. The opening itself (AES-GCM, the payload's decoding)
     * then runs on whichever thread first reads the report, with a copy of today's key; it fails
     * with an {@link IllegalStateException} if the bytes do not open as decided (a bug, never a
     * guest-visible outcome).
     */
    public Supplier<byte[]> openReportLater(SealedResponse response, long requestSeqno) {
        GuestMessageHeader h = response.header();
        if (h.seqno() != requestSeqno + 1 || h.msgType() != MessageType.REPORT_REQ.response()
                || h.msgVersion() != MSG_VERSION || h.msgVmpck() != vmpck) {
            return null;
        }
        readKey();
        try {
            if (isZero(key) || !response.sealedWith(key)) {
                return null;
            }
            return new ReportLater(response, key.clone(), requestSeqno);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A report opened on first use (see {@link #openReportLater}); the key copy is zeroed then. */
    private static final class ReportLater implements Supplier<byte[]> {
        private SealedResponse response;
        private byte[] key;
        private final long requestSeqno;
        private byte[] report;

        ReportLater(SealedResponse response, byte[] key, long requestSeqno) {
            this.response = response;
            this.key = key;
            this.requestSeqno = requestSeqno;
        }

        @Override
        public synchronized byte[] get() {
            if (report == null) {
                try {
                    GuestMessages.Opened o = GuestMessages.open(key, response.page(), requestSeqno + 1);
                    ReportResponse rsp = ReportResponse.decode(o.payload());
                    if (rsp.responseStatus() != ResponseStatus.SUCCESS) {
                        throw new IllegalStateException("response to seqno " + requestSeqno
                                + " has status 0x" + Integer.toHexString(rsp.status()) + ", not the report it was taken for");
                    }
                    report = rsp.report();
                } catch (AbiException e) {
                    throw new IllegalStateException("response to seqno " + requestSeqno
                            + " did not open as its untouched header and key promised: " + e.getMessage(), e);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
                key = null;
                response = null;
            }
            return report;
        }
    }

    /** Zeroes the key in the secrets page; every later {@link #seal} fails. */
    public void wipe() {
        memory.guestWrite(secretsGpa + SecretsLayout.vmpckOffset(vmpck), new byte[SecretsLayout.VMPCK_SIZE]);
    }

    /** Reads the key from the secrets page into {@link #key}; the caller zeroes it when done. */
    private void readKey() {
        memory.guestRead(secretsGpa + SecretsLayout.vmpckOffset(vmpck), key, 0, SecretsLayout.VMPCK_SIZE);
    }
}
