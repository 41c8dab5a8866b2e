package dev.snpsim.psp.firmware;

/**
 * A firmware version as SNP_PLATFORM_STATUS and the report (CURRENT_/COMMITTED_BUILD, _MINOR,
 * _MAJOR) show it; each part is a u8. The API version a guest policy asks for is major.minor.
 */
public record FirmwareVersion(int build, int minor, int major) {
    public FirmwareVersion {
        check("build", build);
        check("minor", minor);
        check("major", major);
    }

    /** True where this API version (major.minor) is at least {@code major.minor}. */
    public boolean apiAtLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + build;
    }

    private static void check(String field, int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("firmware " + field + " is " + v + " (expected: 0..255)");
        }
    }
}
