package dev.snpsim.host.nativekvm;

import java.util.Locale;

/**
 * The one exception type of the native backend: a failed system call (naming the call or ioctl
 * and the errno with its text), or a guest or host value outside what the backend accepts.
 * Unchecked; messages are lowercase.
 */
public class KvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** errno of the failed call, or 0 when the failure is not a system call's. */
    private final int errno;

    public KvmException(String message) {
        super(message);
        this.errno = 0;
    }

    public KvmException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    private KvmException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** A failed system call: {@code "KVM_RUN on vcpu fd 12 failed: errno 4 (Interrupted system call)"}. */
    public static KvmException ofErrno(String operation, int errno) {
        return new KvmException(String.format(Locale.ROOT, "%s failed: errno %d (%s)",
                operation, errno, LibC.describe(errno)), errno);
    }

    /** Formats the message with {@link String#format} in the root locale. */
    public static KvmException of(String format, Object... args) {
        return new KvmException(String.format(Locale.ROOT, format, args));
    }

    /** The errno of the failed system call, 0 when this is not a system-call failure. */
    public int errno() {
        return errno;
    }
}
