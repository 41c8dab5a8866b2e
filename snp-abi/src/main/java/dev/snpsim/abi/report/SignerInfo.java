package dev.snpsim.abi.report;

import dev.snpsim.abi.AbiException;

/**
 * The u32 at report offset 0x48 (SNP ABI spec, ATTESTATION_REPORT bits 0x48):
 *
 * <pre>
 *   bit  0     AUTHOR_KEY_EN   the ID block carried an author key
 *   bit  1     MASK_CHIP_KEY   SNP_SET_CONFIG masked the chip key
 *   bits 4:2   SIGNING_KEY     0 VCEK, 1 VLEK, 7 none
 *   bits 31:5  reserved, must be zero
 * </pre>
 */
public record SignerInfo(boolean authorKeyEn, boolean maskChipKey, SigningKey signingKey) {
    /** Signed by the VCEK, no author key, chip key not masked. */
    public static final SignerInfo VCEK = new SignerInfo(false, false, SigningKey.VCEK);
    /** Signed by the VLEK, no author key, chip key not masked. */
    public static final SignerInfo VLEK = new SignerInfo(false, false, SigningKey.VLEK);

    static final int RESERVED_MASK = ~0x1f;

    public SignerInfo {
        if (signingKey == null) {
            throw new AbiException("signer info signing_key is missing");
        }
    }

    /** Decodes the u32; reserved bits 31:5 and SIGNING_KEY values 2..6 are rejected. */
    public static SignerInfo decode(int raw) {
        if ((raw & RESERVED_MASK) != 0) {
            throw AbiException.of("signer info 0x%x: reserved bits 31:5 not all zero", raw);
        }
        return new SignerInfo((raw & 1) != 0, (raw & 2) != 0, SigningKey.of((raw >>> 2) & 7));
    }

    public int encode() {
        return (authorKeyEn ? 1 : 0) | (maskChipKey ? 2 : 0) | signingKey.code() << 2;
    }
}
