package dev.snpsim.host.nativekvm;

/**
 * Offsets of the request block, which stands in for the GHCB shared page: the fields used keep
 * their GHCB offsets (GHCB specification, "GHCB Layout" save-area table), so the block reads
 * like a real GHCB page. Also the layout of each vCPU's area in guest memory.
 */
final class GhcbLayout {
    /** Save-area RAX: the certificate buffer GPA of an extended guest request. */
    static final int RAX = 0x1F8;
    /** Save-area RBX: pages offered (in), pages needed after INVALID_LEN (out). */
    static final int RBX = 0x318;
    /** SW_EXITCODE. */
    static final int SW_EXITCODE = 0x390;
    /** SW_EXITINFO1: request page GPA. */
    static final int SW_EXITINFO1 = 0x398;
    /** SW_EXITINFO2: response page GPA (in), result (out): VMM error in 63:32, firmware error in 31:0. */
    static final int SW_EXITINFO2 = 0x3A0;
    /** VALID_BITMAP, 16 bytes: bit n set when the qword at offset 8n was written by the guest. */
    static final int VALID_BITMAP = 0x3F0;

    /** Valid-bitmap bit of a save-area field: its offset / 8. */
    static int validBit(int fieldOffset) {
        return fieldOffset >>> 3;
    }

    // ---- one vCPU's area in guest memory (offsets from the area base, which the guest holds in ESI)

    /** The request block (GHCB stand-in), one page. */
    static final int AREA_GHCB = 0x0000;
    /** The guest program's private counters, one page. */
    static final int AREA_PRIVATE = 0x1000;
    /** The request page (SW_EXITINFO1). */
    static final int AREA_REQUEST_PAGE = 0x2000;
    /** The response page (SW_EXITINFO2 on entry). */
    static final int AREA_RESPONSE_PAGE = 0x3000;
    /** The certificate buffer (RAX), up to the program's maximum pages. */
    static final int AREA_CERT_BUFFER = 0x4000;

    // ---- the private page: u32 counters

    /** Pages the guest offers in its next request. */
    static final int PRIV_NPAGES = 0x00;
    /** Iterations still to run. */
    static final int PRIV_ITERATIONS_LEFT = 0x04;
    /** Requests answered 0 with a well-formed certificate table. */
    static final int PRIV_SUCCESSES = 0x08;
    /** BUSY answers (each retried). */
    static final int PRIV_BUSY_RETRIES = 0x0C;
    /** INVALID_LEN answers (each retried with the pages needed). */
    static final int PRIV_INVALID_LEN_RETRIES = 0x10;
    /** Requests answered 0 whose table was malformed. */
    static final int PRIV_BAD_TABLES = 0x14;
    /** Requests that ended in another error. */
    static final int PRIV_ERRORS = 0x18;
    /** The guest's request sequence number, copied into each request page. */
    static final int PRIV_SEQUENCE = 0x1C;

    /** In the request page: where a guest message header holds MSG_SEQNO (u64). */
    static final int REQUEST_SEQNO = 0x20;

    private GhcbLayout() {
    }
}
