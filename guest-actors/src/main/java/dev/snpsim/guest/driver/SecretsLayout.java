package dev.snpsim.guest.driver;

/**
 * Offsets in the SNP secrets page (SNP ABI spec, Table "Secrets Page Format" version 2/3;
 * Linux {@code struct snp_secrets_page}) that the guest driver reads and writes.
 */
final class SecretsLayout {
    /** VMPCK0, 32 bytes; VMPCK{n} is at {@code VMPCK0 + n * VMPCK_STRIDE}. */
    static final int VMPCK0 = 0x20;
    /** Distance between consecutive VMPCKs. */
    static final int VMPCK_STRIDE = 0x20;
    /** VMPCK size. */
    static final int VMPCK_SIZE = 32;
    /** OS area: MSG_SEQNO_0 u32; the counter of VMPCK{n} is at {@code OS_AREA_SEQNO0 + 4 * n}. */
    static final int OS_AREA_SEQNO0 = 0xA0;
    /** Number of VMPCKs. */
    static final int VMPCKS = 4;

    private SecretsLayout() {
    }

    static int vmpckOffset(int vmpck) {
        return VMPCK0 + vmpck * VMPCK_STRIDE;
    }

    static int seqnoOffset(int vmpck) {
        return OS_AREA_SEQNO0 + 4 * vmpck;
    }
}
