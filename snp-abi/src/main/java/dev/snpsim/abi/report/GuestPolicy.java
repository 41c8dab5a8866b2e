package dev.snpsim.abi.report;

import dev.snpsim.abi.AbiException;

/**
 * The guest policy (SNP ABI spec, "Guest Policy Structure"), a u64 fixed at launch and
 * copied into every report:
 *
 * <pre>
 *   bits  7:0  ABI_MINOR          bit 21  CXL_ALLOW
 *   bits 15:8  ABI_MAJOR          bit 22  MEM_AES_256_XTS
 *   bit  16    SMT                bit 23  RAPL_DIS
 *   bit  17    reserved, must be 1 bit 24  CIPHERTEXT_HIDING (DRAM)
 *   bit  18    MIGRATE_MA         bit 25  PAGE_SWAP_DISABLE
 *   bit  19    DEBUG              bits 63:26 reserved, must be 0
 *   bit  20    SINGLE_SOCKET
 * </pre>
 */
public record GuestPolicy(long raw) {
    static final int SMT_BIT = 16;
    static final int RESERVED_ONE_BIT = 17;
    static final int MIGRATE_MA_BIT = 18;
    static final int DEBUG_BIT = 19;
    static final int SINGLE_SOCKET_BIT = 20;
    static final int CXL_ALLOW_BIT = 21;
    static final int MEM_AES_256_XTS_BIT = 22;
    static final int RAPL_DIS_BIT = 23;
    static final int CIPHERTEXT_HIDING_BIT = 24;
    static final int PAGE_SWAP_DISABLE_BIT = 25;
    /** Bits 63:26 are reserved and must be zero. */
    static final long RESERVED_MASK = -1L << 26;

    /** ABI 0.0, SMT allowed, nothing else: the value most guests launch with (0x30000). */
    public static final GuestPolicy DEFAULT = new GuestPolicy((1L << SMT_BIT) | (1L << RESERVED_ONE_BIT));

    public GuestPolicy {
        if ((raw & (1L << RESERVED_ONE_BIT)) == 0) {
            throw AbiException.of("policy 0x%x: bit 17 is reserved and must be 1", raw);
        }
        if ((raw & RESERVED_MASK) != 0) {
            throw AbiException.of("policy 0x%x: reserved bits 63:26 not all zero (0x%x)", raw, raw & RESERVED_MASK);
        }
    }

    public int abiMinor() {
        return (int) (raw & 0xff);
    }

    public int abiMajor() {
        return (int) ((raw >>> 8) & 0xff);
    }

    public boolean smt() {
        return bit(SMT_BIT);
    }

    public boolean migrateMa() {
        return bit(MIGRATE_MA_BIT);
    }

    public boolean debug() {
        return bit(DEBUG_BIT);
    }

    public boolean singleSocket() {
        return bit(SINGLE_SOCKET_BIT);
    }

    public boolean cxlAllow() {
        return bit(CXL_ALLOW_BIT);
    }

    public boolean memAes256Xts() {
        return bit(MEM_AES_256_XTS_BIT);
    }

    public boolean raplDis() {
        return bit(RAPL_DIS_BIT);
    }

    public boolean ciphertextHiding() {
        return bit(CIPHERTEXT_HIDING_BIT);
    }

    public boolean pageSwapDisable() {
        return bit(PAGE_SWAP_DISABLE_BIT);
    }

    /** The minimum firmware ABI version {@code major.minor} the guest requires. */
    public GuestPolicy withAbi(int major, int minor) {
        if (major < 0 || major > 0xff || minor < 0 || minor > 0xff) {
            throw AbiException.of("policy abi version %d.%d out of range (expected: 0..255 each)", major, minor);
        }
        return new GuestPolicy((raw & ~0xffffL) | ((long) major << 8) | minor);
    }

    public GuestPolicy withSmt(boolean on) {
        return with(SMT_BIT, on);
    }

    public GuestPolicy withMigrateMa(boolean on) {
        return with(MIGRATE_MA_BIT, on);
    }

    public GuestPolicy withDebug(boolean on) {
        return with(DEBUG_BIT, on);
    }

    public GuestPolicy withSingleSocket(boolean on) {
        return with(SINGLE_SOCKET_BIT, on);
    }

    public GuestPolicy withCxlAllow(boolean on) {
        return with(CXL_ALLOW_BIT, on);
    }

    public GuestPolicy withMemAes256Xts(boolean on) {
        return with(MEM_AES_256_XTS_BIT, on);
    }

    public GuestPolicy withRaplDis(boolean on) {
        return with(RAPL_DIS_BIT, on);
    }

    public GuestPolicy withCiphertextHiding(boolean on) {
        return with(CIPHERTEXT_HIDING_BIT, on);
    }

    public GuestPolicy withPageSwapDisable(boolean on) {
        return with(PAGE_SWAP_DISABLE_BIT, on);
    }

    @Override
    public String toString() {
        return String.format("0x%x", raw);
    }

    private boolean bit(int n) {
        return (raw & (1L << n)) != 0;
    }

    private GuestPolicy with(int n, boolean on) {
        return new GuestPolicy(on ? raw | (1L << n) : raw & ~(1L << n));
    }
}
