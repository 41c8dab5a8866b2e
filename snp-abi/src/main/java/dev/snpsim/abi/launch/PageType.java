package dev.snpsim.abi.launch;

import dev.snpsim.abi.AbiException;

/** PAGE_TYPE of SNP_LAUNCH_UPDATE (SNP ABI spec, "Page Types"). */
public enum PageType {
    /** Measured data page: CONTENTS = SHA-384 of the page. */
    NORMAL(1, true),
    /** VMSA page: CONTENTS = SHA-384 of the page, GPA {@link LaunchDigest#VMSA_GPA}. */
    VMSA(2, true),
    /** Zero page: CONTENTS zero. */
    ZERO(3, false),
    /** Unmeasured page: CONTENTS zero. */
    UNMEASURED(4, false),
    /** Secrets page: CONTENTS zero. */
    SECRETS(5, false),
    /** CPUID page: CONTENTS zero. */
    CPUID(6, false);

    private final int code;
    private final boolean hashesContents;

    PageType(int code, boolean hashesContents) {
        this.code = code;
        this.hashesContents = hashesContents;
    }

    public int code() {
        return code;
    }

    /** True where PAGE_INFO.CONTENTS is the SHA-384 of the page, false where it is zero. */
    public boolean hashesContents() {
        return hashesContents;
    }

    public static PageType of(int code) {
        for (PageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw AbiException.of("page_type %d is not defined (expected: 1..6)", code);
    }
}
