package dev.snpsim.host.nativekvm;

/**
 * Parameters of the {@link GuestProgram}.
 *
 * @param iterations   extended guest requests to complete (retries not counted)
 * @param initialPages certificate-buffer pages offered in the first request (0 is allowed:
 *                     the host then answers INVALID_LEN with the pages needed)
 * @param maxCertPages pages reserved for the certificate buffer; the program never offers more
 */
public record GuestProgramConfig(int iterations, int initialPages, int maxCertPages) {
    /** The most certificate-buffer pages a vCPU area may hold. */
    public static final int MAX_CERT_PAGES = 256;

    public GuestProgramConfig {
        if (iterations < 0) {
            throw KvmException.of("iterations is %d (expected: >= 0)", iterations);
        }
        if (maxCertPages < 1 || maxCertPages > MAX_CERT_PAGES) {
            throw KvmException.of("maxCertPages is %d (expected: 1..%d)", maxCertPages, MAX_CERT_PAGES);
        }
        if (initialPages < 0 || initialPages > maxCertPages) {
            throw KvmException.of("initialPages is %d (expected: 0..maxCertPages %d)", initialPages,
                    maxCertPages);
        }
    }
}
