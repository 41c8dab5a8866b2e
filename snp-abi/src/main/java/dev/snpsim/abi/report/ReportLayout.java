package dev.snpsim.abi.report;

/**
 * Offsets and sizes of the ATTESTATION_REPORT structure (SEV-SNP firmware ABI spec,
 * Table "ATTESTATION_REPORT Structure"; SPEC.md section 7). Little-endian throughout.
 */
final class ReportLayout {
    private ReportLayout() {
    }

    /** Size of the whole report. */
    static final int REPORT_SIZE = 0x4A0;

    /** VERSION u32. */
    static final int VERSION = 0x000;
    /** GUEST_SVN u32. */
    static final int GUEST_SVN = 0x004;
    /** POLICY u64. */
    static final int POLICY = 0x008;
    /** FAMILY_ID[16]. */
    static final int FAMILY_ID = 0x010;
    static final int FAMILY_ID_SIZE = 16;
    /** IMAGE_ID[16]. */
    static final int IMAGE_ID = 0x020;
    static final int IMAGE_ID_SIZE = 16;
    /** VMPL u32. */
    static final int VMPL = 0x030;
    /** SIGNATURE_ALGO u32. */
    static final int SIGNATURE_ALGO = 0x034;
    /** CURRENT_TCB (TCB_VERSION u64). */
    static final int CURRENT_TCB = 0x038;
    /** PLATFORM_INFO u64. */
    static final int PLATFORM_INFO = 0x040;
    /** AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY bit fields (u32). */
    static final int SIGNER_INFO = 0x048;
    /** Reserved u32 after the signer info. */
    static final int RESERVED_4C = 0x04C;
    /** REPORT_DATA[64]. */
    static final int REPORT_DATA = 0x050;
    static final int REPORT_DATA_SIZE = 64;
    /** MEASUREMENT[48]. */
    static final int MEASUREMENT = 0x090;
    static final int MEASUREMENT_SIZE = 48;
    /** HOST_DATA[32]. */
    static final int HOST_DATA = 0x0C0;
    static final int HOST_DATA_SIZE = 32;
    /** ID_KEY_DIGEST[48]. */
    static final int ID_KEY_DIGEST = 0x0E0;
    static final int ID_KEY_DIGEST_SIZE = 48;
    /** AUTHOR_KEY_DIGEST[48]. */
    static final int AUTHOR_KEY_DIGEST = 0x110;
    static final int AUTHOR_KEY_DIGEST_SIZE = 48;
    /** REPORT_ID[32]. */
    static final int REPORT_ID = 0x140;
    static final int REPORT_ID_SIZE = 32;
    /** REPORT_ID_MA[32]. */
    static final int REPORT_ID_MA = 0x160;
    static final int REPORT_ID_MA_SIZE = 32;
    /** REPORTED_TCB (TCB_VERSION u64). */
    static final int REPORTED_TCB = 0x180;
    /** CPUID_FAM_ID u8 (since report version 3). */
    static final int CPUID_FAM_ID = 0x188;
    /** CPUID_MOD_ID u8 (since report version 3). */
    static final int CPUID_MOD_ID = 0x189;
    /** CPUID_STEP u8 (since report version 3). */
    static final int CPUID_STEP = 0x18A;
    /** Start of the reserved range before CHIP_ID for version 3 and later. */
    static final int RESERVED_18B = 0x18B;
    /** CHIP_ID[64]. */
    static final int CHIP_ID = 0x1A0;
    static final int CHIP_ID_SIZE = 64;
    /** COMMITTED_TCB (TCB_VERSION u64). */
    static final int COMMITTED_TCB = 0x1E0;
    /** CURRENT_BUILD u8. */
    static final int CURRENT_BUILD = 0x1E8;
    /** CURRENT_MINOR u8. */
    static final int CURRENT_MINOR = 0x1E9;
    /** CURRENT_MAJOR u8. */
    static final int CURRENT_MAJOR = 0x1EA;
    /** Reserved u8. */
    static final int RESERVED_1EB = 0x1EB;
    /** COMMITTED_BUILD u8. */
    static final int COMMITTED_BUILD = 0x1EC;
    /** COMMITTED_MINOR u8. */
    static final int COMMITTED_MINOR = 0x1ED;
    /** COMMITTED_MAJOR u8. */
    static final int COMMITTED_MAJOR = 0x1EE;
    /** Reserved u8. */
    static final int RESERVED_1EF = 0x1EF;
    /** LAUNCH_TCB (TCB_VERSION u64). */
    static final int LAUNCH_TCB = 0x1F0;
    /** LAUNCH_MIT_VECTOR u64 (since report version 5; reserved before). */
    static final int LAUNCH_MIT_VECTOR = 0x1F8;
    /** CURRENT_MIT_VECTOR u64 (since report version 5; reserved before). */
    static final int CURRENT_MIT_VECTOR = 0x200;
    /** Start of the reserved range before the signature, version 5. */
    static final int RESERVED_208 = 0x208;
    /** SIGNATURE[512]; the signed bytes are everything before it. */
    static final int SIGNATURE = 0x2A0;
    static final int SIGNATURE_SIZE = 512;

    /** ECDSA P-384 signature: R, a 72-byte little-endian field at the start of SIGNATURE. */
    static final int SIG_R = 0x000;
    /** ECDSA P-384 signature: S, a 72-byte little-endian field. */
    static final int SIG_S = 0x048;
    /** Size of each of R and S. */
    static final int SIG_COMPONENT_SIZE = 72;
    /** First byte of the signature field's reserved tail. */
    static final int SIG_RESERVED = 0x090;

    /** Lowest report version accepted. */
    static final int MIN_VERSION = 2;
    /** Highest report version accepted. */
    static final int MAX_VERSION = 5;
    /** First version with the CPUID fields. */
    static final int VERSION_CPUID = 3;
    /** First version with the mitigation vectors. */
    static final int VERSION_MIT_VECTOR = 5;
}
