package dev.snpsim.psp.firmware;

import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.sim.offload.Offload;
import java.security.MessageDigest;

/**
 * The sealed response page of a report request the firmware executed successfully (a
 * MSG_REPORT_RSP with status SUCCESS and a signed report) whose bytes may still be being computed
 * on a worker (signature, encoding, sealing): the firmware has decided everything else.
 *
 * <p>The answer is fixed when the firmware executes the request: the report's fields, the key,
 * the VMPCK and the header. Only its bytes come later, so the simulation does not wait for the
 * signature where nothing reads them yet. {@link #page()} waits for them; a holder that only
 * passes the page on (the PSP's reply, the vCPU writing guest memory) never needs to. What a
 * reader may learn without the bytes is what it could check in the page's clear header, and
 * whether a key it holds is the one the page is sealed with: with an untouched page those two
 * decide whether opening it will succeed (AES-GCM authenticates exactly the sealed bytes).
 *
 * <p>Thread-safe: the bytes are the value of one {@link Offload.Task}, computed once.
 */
public final class SealedResponse {
    private final GuestMessageHeader header;
    private final byte[] vmpck;
    private final Offload.Task<byte[]> page;

    /**
     * @param header the response header as sealed, its tag not yet known (zeros)
     * @param vmpck  the key the page is sealed with (kept, never handed out)
     * @param page   the computation of the sealed page
     */
    SealedResponse(GuestMessageHeader header, byte[] vmpck, Offload.Task<byte[]> page) {
        this.header = header;
        this.vmpck = vmpck;
        this.page = page;
    }

    /**
     * A sealed response from its parts, for a model other than this firmware that hands a page
     * on (and for tests); the firmware builds its own.
     *
     * @param header the response header as the page will carry it, its tag zeros
     * @param vmpck  the key the page is sealed with (copied)
     * @param page   the computation of the 4 KiB sealed page
     */
    public static SealedResponse of(GuestMessageHeader header, byte[] vmpck, Offload.Task<byte[]> page) {
        return new SealedResponse(header, vmpck.clone(), page);
    }

    /**
     * The header in the page's clear part (message type, version, sequence number, VMPCK
     * index, message size); the authentication tag reads as zeros here, it is known with the
     * bytes.
     */
    public GuestMessageHeader header() {
        return header;
    }

    /** True when {@code key} is the VMPCK this page is sealed with (compared in constant time). */
    public boolean sealedWith(byte[] key) {
        return key != null && MessageDigest.isEqual(key, vmpck);
    }

    /**
     * The sealed 4 KiB page, computing it on the calling thread if no worker has (see {@link
     * Offload.Task#join}). The array is shared: callers copy it and never write to it.
     */
    public byte[] page() {
        return page.join();
    }

    @Override
    public String toString() {
        return "SealedResponse[" + header.msgType() + " seqno " + header.seqno() + " vmpck " + header.msgVmpck() + "]";
    }
}
