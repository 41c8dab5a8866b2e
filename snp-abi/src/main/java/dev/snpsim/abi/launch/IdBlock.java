package dev.snpsim.abi.launch;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.LeBytes;
import dev.snpsim.abi.report.GuestPolicy;
import java.util.Arrays;

/**
 * The ID block of SNP_LAUNCH_FINISH (SNP ABI spec, Table "ID_BLOCK Structure"), 0x60 bytes,
 * little-endian. Firmware checks LD against the launch digest and POLICY against the guest's
 * policy, and copies FAMILY_ID, IMAGE_ID and GUEST_SVN into every report:
 *
 * <pre>
 *   0x00 LD[48]          expected launch digest
 *   0x30 FAMILY_ID[16]
 *   0x40 IMAGE_ID[16]
 *   0x50 VERSION u32     1
 *   0x54 GUEST_SVN u32
 *   0x58 POLICY u64
 * </pre>
 */
public record IdBlock(byte[] ld, byte[] familyId, byte[] imageId, int version, int guestSvn, GuestPolicy policy) {
    public static final int SIZE = 0x60;
    /** The only VERSION defined. */
    public static final int VERSION_1 = 1;
    static final int LD = 0x00;
    static final int LD_SIZE = 48;
    static final int FAMILY_ID = 0x30;
    static final int FAMILY_ID_SIZE = 16;
    static final int IMAGE_ID = 0x40;
    static final int IMAGE_ID_SIZE = 16;
    static final int VERSION = 0x50;
    static final int GUEST_SVN = 0x54;
    static final int POLICY = 0x58;

    public IdBlock {
        ld = LeBytes.copyOf(ld, LD_SIZE, "id block ld");
        familyId = LeBytes.copyOf(familyId, FAMILY_ID_SIZE, "id block family_id");
        imageId = LeBytes.copyOf(imageId, IMAGE_ID_SIZE, "id block image_id");
        if (version != VERSION_1) {
            throw AbiException.of("id block version at 0x%x is %d (expected: 1)", VERSION,
                    Integer.toUnsignedLong(version));
        }
        if (policy == null) {
            throw new AbiException("id block policy is missing");
        }
    }

    @Override
    public byte[] ld() {
        return ld.clone();
    }

    @Override
    public byte[] familyId() {
        return familyId.clone();
    }

    @Override
    public byte[] imageId() {
        return imageId.clone();
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.put(b, LD, ld, LD_SIZE);
        LeBytes.put(b, FAMILY_ID, familyId, FAMILY_ID_SIZE);
        LeBytes.put(b, IMAGE_ID, imageId, IMAGE_ID_SIZE);
        LeBytes.putU32(b, VERSION, version);
        LeBytes.putU32(b, GUEST_SVN, guestSvn);
        LeBytes.putU64(b, POLICY, policy.raw());
        return b;
    }

    /** Decodes exactly 0x60 bytes; VERSION must be 1 and POLICY a valid guest policy. */
    public static IdBlock decode(byte[] b) {
        LeBytes.requireLength(b, SIZE, "id block");
        GuestPolicy policy;
        try {
            policy = new GuestPolicy(LeBytes.u64(b, POLICY));
        } catch (AbiException e) {
            throw new AbiException("id block policy at 0x58: " + e.getMessage(), e);
        }
        return new IdBlock(LeBytes.slice(b, LD, LD_SIZE), LeBytes.slice(b, FAMILY_ID, FAMILY_ID_SIZE),
                LeBytes.slice(b, IMAGE_ID, IMAGE_ID_SIZE), LeBytes.u32(b, VERSION), LeBytes.u32(b, GUEST_SVN), policy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdBlock x && Arrays.equals(encode(), x.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "IdBlock[ld=" + Hex.of(ld) + ", familyId=" + Hex.of(familyId) + ", imageId=" + Hex.of(imageId)
                + ", guestSvn=" + Integer.toUnsignedString(guestSvn) + ", policy=" + policy + "]";
    }
}
