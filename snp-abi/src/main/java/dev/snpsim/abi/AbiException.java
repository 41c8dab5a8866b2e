package dev.snpsim.abi;

/**
 * The one exception type of {@code snp-abi}: malformed bytes, a value outside its
 * specified range, a failed cryptographic check on input that should be well formed.
 *
 * <p>Messages are lowercase and name the field, the offset (hex) and the value against
 * what was expected, e.g. {@code "report is 1000 bytes (expected: 0x4a0)"}.
 */
public class AbiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbiException(String message) {
        super(message);
    }

    public AbiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Formats the message with {@link String#format}. */
    public static AbiException of(String format, Object... args) {
        return new AbiException(String.format(java.util.Locale.ROOT, format, args));
    }
}
