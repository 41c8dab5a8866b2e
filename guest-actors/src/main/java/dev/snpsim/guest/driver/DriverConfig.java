package dev.snpsim.guest.driver;

import dev.snpsim.host.kvm.GuestMemory;
import java.time.Duration;

/**
 * How a guest's driver behaves.
 *
 * @param vmpck            the VMPCK (0..3) the driver uses; Linux picks the one of the VMPL the guest runs at
 * @param retryDelay       sleep after BUSY before resending (Linux {@code SNP_REQ_RETRY_DELAY}, 2 s)
 * @param maxRetryDuration give up with ETIMEDOUT when BUSY is still answered this long after the
 *                         first send (Linux {@code SNP_REQ_MAX_RETRY_DURATION}, 60 s)
 * @param maxCertPages     the largest certificate buffer a caller may pass (Linux
 *                         {@code SEV_FW_BLOB_MAX_SIZE} = 16 KiB = 4 pages)
 * @param bufferGpa        where the driver's shared pages start (request, response, then
 *                         {@code maxCertPages} certificate pages); -1: at the top of guest memory
 */
public record DriverConfig(int vmpck, Duration retryDelay, Duration maxRetryDuration, int maxCertPages, long bufferGpa) {
    public DriverConfig {
        if (vmpck < 0 || vmpck > 3) {
            throw new IllegalArgumentException("vmpck is " + vmpck + " (expected: 0..3)");
        }
        if (retryDelay.isNegative() || maxRetryDuration.isNegative()) {
            throw new IllegalArgumentException("retry delay " + retryDelay + " and limit " + maxRetryDuration
                    + " must not be negative");
        }
        if (maxCertPages < 0 || maxCertPages > 1024) {
            throw new IllegalArgumentException("max certificate pages is " + maxCertPages + " (expected: 0..1024)");
        }
        if (bufferGpa != -1 && (bufferGpa < 0 || bufferGpa % GuestMemory.PAGE_SIZE != 0)) {
            throw new IllegalArgumentException(String.format("buffer gpa 0x%x is not page aligned", bufferGpa));
        }
    }

    /** Linux's values: VMPCK0, 2 s, 60 s, 4 pages, buffers at the top of memory. */
    public static DriverConfig linuxDefaults() {
        return new DriverConfig(0, Duration.ofSeconds(2), Duration.ofSeconds(60), 4, -1);
    }

    public DriverConfig withVmpck(int v) {
        return new DriverConfig(v, retryDelay, maxRetryDuration, maxCertPages, bufferGpa);
    }

    public DriverConfig withRetry(Duration delay, Duration max) {
        return new DriverConfig(vmpck, delay, max, maxCertPages, bufferGpa);
    }

    public DriverConfig withBufferGpa(long gpa) {
        return new DriverConfig(vmpck, retryDelay, maxRetryDuration, maxCertPages, gpa);
    }

    /** Number of shared pages the driver owns. */
    public int sharedPages() {
        return 2 + maxCertPages;
    }
}
