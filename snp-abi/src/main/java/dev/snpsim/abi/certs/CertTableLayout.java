package dev.snpsim.abi.certs;

/** Layout of a certificate table entry (GHCB spec, "Certificate Table" format). */
final class CertTableLayout {
    private CertTableLayout() {
    }

    /** Size of one entry, and of the all-zero terminator. */
    static final int ENTRY_SIZE = 24;
    /** GUID[16] at the start of an entry. */
    static final int ENTRY_GUID = 0x00;
    /** OFFSET u32: from the start of the buffer to the certificate. */
    static final int ENTRY_OFFSET = 0x10;
    /** LENGTH u32: of the certificate. */
    static final int ENTRY_LENGTH = 0x14;
    /** Guest pages hold the table. */
    static final int PAGE_SIZE = 4096;
}
