package dev.snpsim.abi.msg;

/**
 * Offsets of the guest message header and payloads (SNP ABI spec, "Message Header"
 * and the MSG_REPORT_REQ/RSP, MSG_KEY_REQ/RSP tables; Linux {@code struct snp_guest_msg_hdr}).
 */
final class MsgLayout {
    private MsgLayout() {
    }

    /** A guest message occupies one 4 KiB page. */
    static final int PAGE_SIZE = 4096;

    // ---- header, 0x60 bytes
    /** AUTHTAG[32]; AES-256-GCM uses the first 16 bytes. */
    static final int AUTHTAG = 0x00;
    static final int AUTHTAG_FIELD_SIZE = 32;
    static final int AUTHTAG_SIZE = 16;
    /** MSG_SEQNO u64. */
    static final int MSG_SEQNO = 0x20;
    /** Reserved[8]. */
    static final int RESERVED_28 = 0x28;
    /** ALGO u8; the AAD starts here. */
    static final int ALGO = 0x30;
    /** HDR_VERSION u8. */
    static final int HDR_VERSION = 0x31;
    /** HDR_SIZE u16. */
    static final int HDR_SIZE = 0x32;
    /** MSG_TYPE u8. */
    static final int MSG_TYPE = 0x34;
    /** MSG_VERSION u8. */
    static final int MSG_VERSION = 0x35;
    /** MSG_SIZE u16: payload bytes. */
    static final int MSG_SIZE = 0x36;
    /** Reserved u32. */
    static final int RESERVED_38 = 0x38;
    /** MSG_VMPCK u8. */
    static final int MSG_VMPCK = 0x3C;
    /** Reserved[35]. */
    static final int RESERVED_3D = 0x3D;
    /** Header size; the payload starts here. */
    static final int HEADER_SIZE = 0x60;
    /** The AAD is the header from ALGO to its end. */
    static final int AAD_SIZE = HEADER_SIZE - ALGO;
    /** Largest payload that fits the page. */
    static final int MAX_PAYLOAD = PAGE_SIZE - HEADER_SIZE;

    // ---- MSG_REPORT_REQ, 0x60 bytes
    static final int REPORT_REQ_DATA = 0x00;
    static final int REPORT_DATA_SIZE = 64;
    static final int REPORT_REQ_VMPL = 0x40;
    /** KEY_SEL in bits 1:0; bits 31:2 reserved. */
    static final int REPORT_REQ_KEY_SEL = 0x44;
    static final int REPORT_REQ_RESERVED = 0x48;
    static final int REPORT_REQ_SIZE = 0x60;

    // ---- MSG_REPORT_RSP, 0x20 + report
    static final int REPORT_RSP_STATUS = 0x00;
    static final int REPORT_RSP_SIZE_FIELD = 0x04;
    static final int REPORT_RSP_RESERVED = 0x08;
    static final int REPORT_RSP_REPORT = 0x20;

    // ---- MSG_KEY_REQ, 0x20 bytes
    static final int KEY_REQ_ROOT_KEY_SELECT = 0x00;
    static final int KEY_REQ_RESERVED = 0x04;
    static final int KEY_REQ_GUEST_FIELD_SELECT = 0x08;
    static final int KEY_REQ_VMPL = 0x10;
    static final int KEY_REQ_GUEST_SVN = 0x14;
    static final int KEY_REQ_TCB_VERSION = 0x18;
    static final int KEY_REQ_SIZE = 0x20;

    // ---- MSG_KEY_RSP, 0x40 bytes
    static final int KEY_RSP_STATUS = 0x00;
    static final int KEY_RSP_RESERVED = 0x04;
    static final int KEY_RSP_KEY = 0x20;
    static final int KEY_SIZE = 32;
    static final int KEY_RSP_SIZE = 0x40;
}
