package dev.snpsim.host.certstore;

/**
 * The certificate blob could not be read or written. The {@link Kind} tells a VMM which
 * answer to give (any of them is EIO to the guest) and a tool what to repair.
 */
public final class CertBlobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the blob is unusable. */
    public enum Kind {
        /** Missing, or an I/O error while reading it. */
        UNREADABLE,
        /** Readable, but not a well-formed certificate table of parseable certificates. */
        CORRUPT,
        /** The new blob could not be written; the old one is left in place. */
        UNWRITABLE
    }

    private final Kind kind;

    public CertBlobException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
