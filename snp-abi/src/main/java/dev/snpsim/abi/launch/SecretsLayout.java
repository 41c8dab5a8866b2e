package dev.snpsim.abi.launch;

/**
 * Offsets of the SEV-SNP secrets page (SNP ABI spec, "PAGE_TYPE_SECRETS" secrets page
 * layout; Linux {@code arch/x86/include/asm/sev.h} {@code struct snp_secrets_page}).
 */
final class SecretsLayout {
    /** The page is one 4 KiB page. */
    static final int SIZE = 0x1000;
    /** VERSION u32. */
    static final int VERSION = 0x000;
    /** Bit 0 IMI_EN, bits 31:1 reserved. */
    static final int FLAGS = 0x004;
    /** FMS u32: family, model, stepping in the CPUID Fn0000_0001_EAX format. */
    static final int FMS = 0x008;
    /** Reserved u32. */
    static final int RESERVED_00C = 0x00C;
    /** GOSVW[16]: guest OS visible workarounds. */
    static final int GOSVW = 0x010;
    static final int GOSVW_SIZE = 16;
    /** VMPCK0[32]; VMPCKn is at VMPCK0 + n * 0x20. */
    static final int VMPCK0 = 0x020;
    static final int VMPCK_SIZE = 32;
    static final int VMPCK_COUNT = 4;
    /** OS_AREA[96]: owned by the guest OS (message counters, AP jump table); zero at launch. */
    static final int OS_AREA = 0x0A0;
    static final int OS_AREA_SIZE = 96;
    /** VMSA_TWEAK_BITMAP[64]. */
    static final int VMSA_TWEAK_BITMAP = 0x100;
    static final int VMSA_TWEAK_BITMAP_SIZE = 64;
    /** SVSM_BASE u64 (SVSM present only). */
    static final int SVSM_BASE = 0x140;
    /** SVSM_SIZE u64. */
    static final int SVSM_SIZE = 0x148;
    /** SVSM_CAA u64. */
    static final int SVSM_CAA = 0x150;
    /** SVSM_MAX_VERSION u32. */
    static final int SVSM_MAX_VERSION = 0x158;
    /** SVSM_GUEST_VMPL u8. */
    static final int SVSM_GUEST_VMPL = 0x15C;
    /** Reserved [3]. */
    static final int RESERVED_15D = 0x15D;
    /** TSC_FACTOR u32 (Secure TSC). */
    static final int TSC_FACTOR = 0x160;
    /** Reserved to the end of the page. */
    static final int RESERVED_164 = 0x164;

    private SecretsLayout() {
    }
}
