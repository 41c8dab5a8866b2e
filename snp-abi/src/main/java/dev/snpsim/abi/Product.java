package dev.snpsim.abi;

import java.util.Locale;

/**
 * The AMD EPYC generations that run SEV-SNP. The product decides the TCB_VERSION layout
 * (Turin adds FMC and moves the other components) and the names in AMD's certificates.
 */
public enum Product {
    /** EPYC 7003, family 0x19 models 0x00-0x0f. */
    MILAN("Milan", "Milan-B0"),
    /** EPYC 9004, family 0x19 models 0x10-0x1f and 0xa0-0xaf. */
    GENOA("Genoa", "Genoa"),
    /** EPYC 9005, family 0x1a. */
    TURIN("Turin", "Turin");

    private final String displayName;
    private final String certificateProductName;

    Product(String displayName, String certificateProductName) {
        this.displayName = displayName;
        this.certificateProductName = certificateProductName;
    }

    /** The name AMD uses in key distribution paths and in ARK/ASK subjects ("Milan"). */
    public String displayName() {
        return displayName;
    }

    /** The value of the VCEK/VLEK product-name extension (1.3.6.1.4.1.3704.1.2). */
    public String certificateProductName() {
        return certificateProductName;
    }

    /** True where TCB_VERSION has the Turin layout (FMC in byte 0). */
    public boolean hasFmc() {
        return this == TURIN;
    }

    /** Parses "milan", "Genoa", "TURIN", or a certificate product name such as "Milan-B0". */
    public static Product parse(String name) {
        if (name == null) {
            throw new AbiException("product is missing (expected: milan, genoa or turin)");
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Product p : values()) {
            String d = p.displayName.toLowerCase(Locale.ROOT);
            if (n.equals(d) || n.startsWith(d + "-")) {
                return p;
            }
        }
        throw new AbiException("unknown product '" + name + "' (expected: milan, genoa or turin)");
    }

    /**
     * The product named by the CPUID fields of a report (version 3 and later), or null
     * where the family/model pair names none of them (SPEC.md section 7).
     */
    public static Product fromCpuid(int family, int model) {
        if (family == 0x19 && model >= 0x00 && model <= 0x0f) {
            return MILAN;
        }
        if (family == 0x19 && ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf))) {
            return GENOA;
        }
        if (family == 0x1a) {
            return TURIN;
        }
        return null;
    }
}
