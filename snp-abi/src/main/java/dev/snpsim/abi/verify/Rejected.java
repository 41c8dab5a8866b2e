package dev.snpsim.abi.verify;

/** Internal: a failed check, carried up to the verifier, which turns it into a {@link Verdict}. */
final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final Verdict.Reason reason;

    Rejected(Verdict.Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Verdict.Reason reason() {
        return reason;
    }
}
