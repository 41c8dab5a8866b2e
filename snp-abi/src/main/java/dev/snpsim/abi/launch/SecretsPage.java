package dev.snpsim.abi.launch;

import static dev.snpsim.abi.launch.SecretsLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/**
 * The SEV-SNP secrets page (SNP ABI spec, "PAGE_TYPE_SECRETS", secrets page format; Linux
 * {@code struct snp_secrets_page}): the page firmware fills on SNP_LAUNCH_UPDATE of a SECRETS
 * page and the guest reads its four VMPCKs from. One 4 KiB page, little-endian:
 *
 * <pre>
 *   0x000 VERSION u32             0x0A0 OS_AREA[96] (guest-owned, zero at launch)
 *   0x004 IMI_EN bit 0            0x100 VMSA_TWEAK_BITMAP[64]
 *   0x008 FMS u32                 0x140 SVSM_BASE u64, 0x148 SVSM_SIZE u64, 0x150 SVSM_CAA u64
 *   0x00C reserved u32            0x158 SVSM_MAX_VERSION u32, 0x15C SVSM_GUEST_VMPL u8
 *   0x010 GOSVW[16]               0x15D reserved[3]
 *   0x020 VMPCK0[32]  0x040 VMPCK1[32]  0x060 VMPCK2[32]  0x080 VMPCK3[32]
 *   0x160 TSC_FACTOR u32          0x164..0xFFF reserved
 * </pre>
 *
 * Byte arrays are copied in and out; equality compares the encoding.
 */
public record SecretsPage(int version, boolean imiEn, int fms, byte[] gosvw, byte[] vmpck0, byte[] vmpck1,
                          byte[] vmpck2, byte[] vmpck3, byte[] osArea, byte[] vmsaTweakBitmap, long svsmBase,
                          long svsmSize, long svsmCaa, int svsmMaxVersion, int svsmGuestVmpl, int tscFactor) {
    /** Size of the page. */
    public static final int SIZE = SecretsLayout.SIZE;
    /** The secrets page version written by current firmware (the SVSM and TSC fields exist). */
    public static final int VERSION_3 = 3;
    /** Size of a VMPCK. */
    public static final int VMPCK_SIZE = SecretsLayout.VMPCK_SIZE;

    public SecretsPage {
        gosvw = LeBytes.copyOf(gosvw, GOSVW_SIZE, "secrets page gosvw");
        vmpck0 = LeBytes.copyOf(vmpck0, VMPCK_SIZE, "secrets page vmpck0");
        vmpck1 = LeBytes.copyOf(vmpck1, VMPCK_SIZE, "secrets page vmpck1");
        vmpck2 = LeBytes.copyOf(vmpck2, VMPCK_SIZE, "secrets page vmpck2");
        vmpck3 = LeBytes.copyOf(vmpck3, VMPCK_SIZE, "secrets page vmpck3");
        osArea = LeBytes.copyOf(osArea, OS_AREA_SIZE, "secrets page os_area");
        vmsaTweakBitmap = LeBytes.copyOf(vmsaTweakBitmap, VMSA_TWEAK_BITMAP_SIZE, "secrets page vmsa_tweak_bitmap");
        if (svsmGuestVmpl < 0 || svsmGuestVmpl > 0xff) {
            throw AbiException.of("secrets page svsm_guest_vmpl is %d (expected: 0..255)", svsmGuestVmpl);
        }
    }

    /**
     * The page as firmware writes it at launch: version 3, the given FMS and four VMPCKs,
     * everything else zero (no SVSM, no Secure TSC, empty OS area).
     */
    public static SecretsPage atLaunch(int fms, byte[][] vmpcks) {
        if (vmpcks == null || vmpcks.length != VMPCK_COUNT) {
            throw AbiException.of("secrets page needs %d vmpcks (got: %s)", VMPCK_COUNT,
                    vmpcks == null ? "none" : String.valueOf(vmpcks.length));
        }
        return new SecretsPage(VERSION_3, false, fms, new byte[GOSVW_SIZE], vmpcks[0], vmpcks[1], vmpcks[2],
                vmpcks[3], new byte[OS_AREA_SIZE], new byte[VMSA_TWEAK_BITMAP_SIZE], 0, 0, 0, 0, 0, 0);
    }

    /** FMS in the CPUID Fn0000_0001_EAX format of a family/model/stepping (family 0x19 encodes as 0xf + 0xa). */
    public static int fmsOf(int family, int model, int stepping) {
        int baseFamily = Math.min(family, 0xf);
        int extFamily = family - baseFamily;
        return (stepping & 0xf) | (model & 0xf) << 4 | baseFamily << 8 | ((model >> 4) & 0xf) << 16
                | (extFamily & 0xff) << 20;
    }

    /** VMPCK{@code n}, n in 0..3. */
    public byte[] vmpck(int n) {
        return switch (n) {
            case 0 -> vmpck0();
            case 1 -> vmpck1();
            case 2 -> vmpck2();
            case 3 -> vmpck3();
            default -> throw AbiException.of("vmpck index is %d (expected: 0..3)", n);
        };
    }

    @Override
    public byte[] gosvw() {
        return gosvw.clone();
    }

    @Override
    public byte[] vmpck0() {
        return vmpck0.clone();
    }

    @Override
    public byte[] vmpck1() {
        return vmpck1.clone();
    }

    @Override
    public byte[] vmpck2() {
        return vmpck2.clone();
    }

    @Override
    public byte[] vmpck3() {
        return vmpck3.clone();
    }

    @Override
    public byte[] osArea() {
        return osArea.clone();
    }

    @Override
    public byte[] vmsaTweakBitmap() {
        return vmsaTweakBitmap.clone();
    }

    /** The 4096-byte page. */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.putU32(b, VERSION, version);
        LeBytes.putU32(b, FLAGS, imiEn ? 1 : 0);
        LeBytes.putU32(b, FMS, fms);
        LeBytes.put(b, GOSVW, gosvw, GOSVW_SIZE);
        LeBytes.put(b, VMPCK0, vmpck0, VMPCK_SIZE);
        LeBytes.put(b, VMPCK0 + VMPCK_SIZE, vmpck1, VMPCK_SIZE);
        LeBytes.put(b, VMPCK0 + 2 * VMPCK_SIZE, vmpck2, VMPCK_SIZE);
        LeBytes.put(b, VMPCK0 + 3 * VMPCK_SIZE, vmpck3, VMPCK_SIZE);
        LeBytes.put(b, OS_AREA, osArea, OS_AREA_SIZE);
        LeBytes.put(b, VMSA_TWEAK_BITMAP, vmsaTweakBitmap, VMSA_TWEAK_BITMAP_SIZE);
        LeBytes.putU64(b, SVSM_BASE, svsmBase);
        LeBytes.putU64(b, SVSM_SIZE, svsmSize);
        LeBytes.putU64(b, SVSM_CAA, svsmCaa);
        LeBytes.putU32(b, SVSM_MAX_VERSION, svsmMaxVersion);
        LeBytes.putU8(b, SVSM_GUEST_VMPL, svsmGuestVmpl);
        LeBytes.putU32(b, TSC_FACTOR, tscFactor);
        return b;
    }

    /**
     * Decodes a 4096-byte page; reserved flag bits 31:1 and the reserved ranges 0x00c..0x00f,
     * 0x15d..0x15f and 0x164..0xfff must be zero.
     */
    public static SecretsPage decode(byte[] b) {
        LeBytes.requireLength(b, SIZE, "secrets page");
        int flags = LeBytes.u32(b, FLAGS);
        if ((flags & ~1) != 0) {
            throw AbiException.of("secrets page flags at 0x%x are 0x%x: reserved bits 31:1 not all zero", FLAGS, flags);
        }
        LeBytes.requireZero(b, RESERVED_00C, GOSVW, "secrets page reserved");
        LeBytes.requireZero(b, RESERVED_15D, TSC_FACTOR, "secrets page reserved");
        LeBytes.requireZero(b, RESERVED_164, SIZE, "secrets page reserved");
        return new SecretsPage(LeBytes.u32(b, VERSION), (flags & 1) != 0, LeBytes.u32(b, FMS),
                LeBytes.slice(b, GOSVW, GOSVW_SIZE),
                LeBytes.slice(b, VMPCK0, VMPCK_SIZE),
                LeBytes.slice(b, VMPCK0 + VMPCK_SIZE, VMPCK_SIZE),
                LeBytes.slice(b, VMPCK0 + 2 * VMPCK_SIZE, VMPCK_SIZE),
                LeBytes.slice(b, VMPCK0 + 3 * VMPCK_SIZE, VMPCK_SIZE),
                LeBytes.slice(b, OS_AREA, OS_AREA_SIZE),
                LeBytes.slice(b, VMSA_TWEAK_BITMAP, VMSA_TWEAK_BITMAP_SIZE),
                LeBytes.u64(b, SVSM_BASE), LeBytes.u64(b, SVSM_SIZE), LeBytes.u64(b, SVSM_CAA),
                LeBytes.u32(b, SVSM_MAX_VERSION), LeBytes.u8(b, SVSM_GUEST_VMPL), LeBytes.u32(b, TSC_FACTOR));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretsPage p && Arrays.equals(encode(), p.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "SecretsPage[version=" + version + ", imiEn=" + imiEn + ", fms=0x" + Integer.toHexString(fms)
                + ", gosvw=" + Hex.of(gosvw) + ", vmpcks=<4 keys>, svsmBase=0x" + Long.toHexString(svsmBase) + "]";
    }
}
