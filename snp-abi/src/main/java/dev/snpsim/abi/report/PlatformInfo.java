package dev.snpsim.abi.report;

/**
 * PLATFORM_INFO (report offset 0x40), a u64 describing the host's configuration:
 *
 * <pre>
 *   bit 0  SMT_EN                 bit 4  CIPHERTEXT_HIDING_DRAM_EN
 *   bit 1  TSME_EN                bit 5  ALIAS_CHECK_COMPLETE
 *   bit 2  ECC_EN                 bit 6  IOMMU_WRITE_SAFE (seen set on Turin)
 *   bit 3  RAPL_DIS               bit 7  TIO_EN
 * </pre>
 *
 * Firmware adds bits over time and real Turin reports carry bit 6, so unknown bits are
 * kept and reported through {@link #unknownBits()}, never rejected.
 */
public record PlatformInfo(long raw) {
    static final long SMT_EN = 1L;
    static final long TSME_EN = 1L << 1;
    static final long ECC_EN = 1L << 2;
    static final long RAPL_DIS = 1L << 3;
    static final long CIPHERTEXT_HIDING_DRAM_EN = 1L << 4;
    static final long ALIAS_CHECK_COMPLETE = 1L << 5;
    static final long IOMMU_WRITE_SAFE = 1L << 6;
    static final long TIO_EN = 1L << 7;
    /** Every bit this class names. */
    static final long KNOWN_BITS = 0xffL;

    public static final PlatformInfo NONE = new PlatformInfo(0);

    public boolean smtEnabled() {
        return (raw & SMT_EN) != 0;
    }

    public boolean tsmeEnabled() {
        return (raw & TSME_EN) != 0;
    }

    public boolean eccEnabled() {
        return (raw & ECC_EN) != 0;
    }

    public boolean raplDisabled() {
        return (raw & RAPL_DIS) != 0;
    }

    public boolean ciphertextHidingEnabled() {
        return (raw & CIPHERTEXT_HIDING_DRAM_EN) != 0;
    }

    public boolean aliasCheckComplete() {
        return (raw & ALIAS_CHECK_COMPLETE) != 0;
    }

    public boolean iommuWriteSafe() {
        return (raw & IOMMU_WRITE_SAFE) != 0;
    }

    public boolean tioEnabled() {
        return (raw & TIO_EN) != 0;
    }

    /** Set bits this class does not name (zero on the platforms modelled). */
    public long unknownBits() {
        return raw & ~KNOWN_BITS;
    }

    /** Builds a value from the named flags. */
    public static PlatformInfo of(boolean smt, boolean tsme, boolean ecc, boolean aliasCheckComplete) {
        return new PlatformInfo((smt ? SMT_EN : 0) | (tsme ? TSME_EN : 0) | (ecc ? ECC_EN : 0)
                | (aliasCheckComplete ? ALIAS_CHECK_COMPLETE : 0));
    }

    @Override
    public String toString() {
        return String.format("0x%x", raw);
    }
}
