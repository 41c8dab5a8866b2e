package dev.snpsim.abi.report;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;

/**
 * TCB_VERSION (SNP ABI spec, "TCB_VERSION Structure"): a u64 of security patch levels,
 * all 64 bits used (treat as unsigned). The byte layout depends on the product:
 *
 * <pre>
 *   byte:      0      1      2      3      4      5      6      7
 *   Milan/   +------+------+------+------+------+------+------+------+
 *   Genoa    |  BL  | TEE  |          reserved         | SNP  | UCODE|
 *            +------+------+------+------+------+------+------+------+
 *   Turin    | FMC  |  BL  | TEE  | SNP  |      reserved      | UCODE|
 *            +------+------+------+------+------+------+------+------+
 * </pre>
 */
public record TcbVersion(long raw) {

    /** The all-zero TCB. */
    public static final TcbVersion ZERO = new TcbVersion(0);

    /** The security patch levels of one TCB_VERSION, each 0..255; fmc is 0 before Turin. */
    public record Components(int fmc, int bootloader, int tee, int snp, int microcode) {
        public Components {
            checkByte("fmc", fmc);
            checkByte("bootloader", bootloader);
            checkByte("tee", tee);
            checkByte("snp", snp);
            checkByte("microcode", microcode);
        }

        /** True where every component is at most the other's. */
        public boolean atMost(Components other) {
            return fmc <= other.fmc && bootloader <= other.bootloader && tee <= other.tee
                    && snp <= other.snp && microcode <= other.microcode;
        }
    }

    /** Builds a TCB_VERSION in the layout of {@code product}; fmc must be 0 except on Turin. */
    public static TcbVersion of(Product product, int fmc, int bootloader, int tee, int snp, int microcode) {
        return of(product, new Components(fmc, bootloader, tee, snp, microcode));
    }

    /** Builds a TCB_VERSION in the layout of {@code product} from its components. */
    public static TcbVersion of(Product product, Components c) {
        if (product.hasFmc()) {
            return new TcbVersion(byteAt(c.fmc(), 0) | byteAt(c.bootloader(), 1) | byteAt(c.tee(), 2)
                    | byteAt(c.snp(), 3) | byteAt(c.microcode(), 7));
        }
        if (c.fmc() != 0) {
            throw AbiException.of("fmc is %d but %s has no fmc component (expected: 0)",
                    c.fmc(), product.displayName().toLowerCase(java.util.Locale.ROOT));
        }
        return new TcbVersion(byteAt(c.bootloader(), 0) | byteAt(c.tee(), 1)
                | byteAt(c.snp(), 6) | byteAt(c.microcode(), 7));
    }

    /** The components under {@code product}'s layout (reserved bytes are ignored here). */
    public Components components(Product product) {
        if (product.hasFmc()) {
            return new Components(byteOf(0), byteOf(1), byteOf(2), byteOf(3), byteOf(7));
        }
        return new Components(0, byteOf(0), byteOf(1), byteOf(6), byteOf(7));
    }

    /** The bits of the reserved bytes under {@code product}'s layout; zero in a well-formed value. */
    public long reservedBits(Product product) {
        long mask = product.hasFmc() ? 0x00FF_FFFF_0000_0000L : 0x0000_FFFF_FFFF_0000L;
        return raw & mask;
    }

    /** Component-wise {@code this <= other} under {@code product}'s layout. */
    public boolean atMost(TcbVersion other, Product product) {
        return components(product).atMost(other.components(product));
    }

    /** Hex, as AMD tools print it: {@code 0x7308000000000003}. */
    @Override
    public String toString() {
        return String.format("0x%016x", raw);
    }

    private int byteOf(int index) {
        return (int) (raw >>> (8 * index)) & 0xff;
    }

    private static long byteAt(int value, int index) {
        return (long) value << (8 * index);
    }

    private static void checkByte(String name, int value) {
        if (value < 0 || value > 0xff) {
            throw AbiException.of("tcb %s is %d (expected: 0..255)", name, value);
        }
    }
}
