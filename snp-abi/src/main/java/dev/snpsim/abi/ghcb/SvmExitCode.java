package dev.snpsim.abi.ghcb;

/** SW_EXITCODE values of the GHCB guest-request NAE events (GHCB spec 2.0, Table 7). */
public final class SvmExitCode {
    /** SNP Guest Request: SW_EXITINFO1 = request page GPA, SW_EXITINFO2 = response page GPA. */
    public static final long GUEST_REQUEST = 0x8000_0011L;
    /** SNP Extended Guest Request: as above, plus RAX = certificate buffer GPA, RBX = pages. */
    public static final long EXT_GUEST_REQUEST = 0x8000_0012L;

    private SvmExitCode() {
    }
}
