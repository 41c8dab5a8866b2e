package dev.snpsim.guest.rp;

/** What the relying party concluded about one report. */
public enum Outcome {
    /** Chain, signature, TCB and key all check out, and REPORT_DATA is this request's nonce. */
    VERIFIED("verified"),
    /** The report does not verify with the leaf certificate it came with (signature, TCB, key kind, chip id). */
    STALE_CERTIFICATE("stale-certificate"),
    /** The verifier rejected the report or chain for another reason. */
    REJECTED("rejected"),
    /** The report verified but carries another request's REPORT_DATA. */
    NONCE_MISMATCH("nonce-mismatch"),
    /** A plain report arrived and the guest has no certificate table to check it with. */
    NO_CERTIFICATES("no-certificates");

    private final String key;

    Outcome(String key) {
        this.key = key;
    }

    /** The metric key suffix ({@code guest/<tenant>/<key>}). */
    public String metricKey() {
        return key;
    }
}
