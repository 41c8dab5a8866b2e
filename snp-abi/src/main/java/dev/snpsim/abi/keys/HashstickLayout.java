package dev.snpsim.abi.keys;

/** Offsets and sizes of the simulated VLEK hashstick (see {@link VlekHashstick}). */
final class HashstickLayout {
    /** Whole hashstick, as SNP_VLEK_LOAD expects. */
    static final int SIZE = 0x1B0;
    /** VERSION u32 (0, as SNP_VLEK_LOAD's vlek_wrapped_version). */
    static final int VERSION = 0x000;
    /** reserved u32, must be zero. */
    static final int RESERVED_0 = 0x004;
    /** TCB_VERSION u64 the VLEK is issued for. */
    static final int TCB = 0x008;
    /** GCM IV, 12 bytes. */
    static final int IV = 0x010;
    static final int IV_SIZE = 12;
    /** reserved u32, must be zero. */
    static final int RESERVED_1 = 0x01C;
    /** CSP_ID, ASCII, zero padded. */
    static final int CSP_ID = 0x020;
    static final int CSP_ID_SIZE = 64;
    /** End of the authenticated header (AAD = 0x000..0x05F). */
    static final int AAD_END = 0x060;
    /** Wrapped P-384 private scalar, 48 bytes big-endian before encryption. */
    static final int WRAPPED_KEY = 0x060;
    static final int KEY_SIZE = 48;
    /** GCM tag. */
    static final int TAG = 0x090;
    static final int TAG_SIZE = 16;
    /** Padding to SIZE, must be zero. */
    static final int PADDING = 0x0A0;

    private HashstickLayout() {
    }
}
