package dev.snpsim.guest.driver;

import dev.snpsim.abi.ghcb.Errno;

/**
 * Why a driver request failed, with the errno Linux's {@code sev-guest} ioctl returns and whether
 * the failure wiped the VMPCK.
 */
public enum DriverError {
    /**
     * The certificate buffer is too small: the message was resent as a plain request (its
     * sequence number consumed) and the host said how many pages it needs. Linux returns
     * {@code -EIO} with exitinfo2 = INVALID_LEN and writes the needed length into
     * {@code certs_len}; callers grow their buffer and retry.
     */
    NEED_PAGES(Errno.EIO, false),
    /** The host answered BUSY for longer than the retry limit (60 s); the VMPCK is wiped. */
    ETIMEDOUT(Errno.ETIMEDOUT, true),
    /** The VMPCK was wiped by an earlier failure: every request fails until the guest relaunches. */
    ENOTTY(Errno.ENOTTY, false),
    /** The host or firmware failed the request (exitinfo2 non-zero, other than BUSY); the VMPCK is wiped. */
    EIO(Errno.EIO, true),
    /** The response did not authenticate, or had the wrong sequence number, type or version; the VMPCK is wiped. */
    EBADMSG(74, true),
    /** The caller's arguments were refused before anything was sent (e.g. too many certificate pages). */
    EINVAL(Errno.EINVAL, false),
    /**
     * The firmware answered, but the response payload's STATUS is not success (e.g. 0x16 invalid
     * parameters for a VMPL more privileged than the key's); the ioctl succeeds in Linux and the
     * caller reads the status. The VMPCK stays.
     */
    RESPONSE_STATUS(0, false);

    private final int errno;
    private final boolean wipesKey;

    DriverError(int errno, boolean wipesKey) {
        this.errno = errno;
        this.wipesKey = wipesKey;
    }

    /** The positive errno the ioctl fails with (0 for {@link #RESPONSE_STATUS}). */
    public int errno() {
        return errno;
    }

    /** True when this failure wipes the VMPCK. */
    public boolean wipesKey() {
        return wipesKey;
    }
}
