package dev.snpsim.abi.verify;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.AttestationReport;

/**
 * The outcome of verifying one report.
 *
 * @param reason  why it failed, or {@link Reason#OK}
 * @param detail  lowercase text naming the values that decided it
 * @param report  the decoded report, or null when it was malformed (or when only a chain was checked)
 * @param product the product the chain was checked as, or null when not known yet
 */
public record Verdict(Reason reason, String detail, AttestationReport report, Product product) {
    /** Why a report was rejected; the checks run in this order after decoding. */
    public enum Reason {
        OK,
        /** The report (or a certificate, or its AMD extensions) does not decode. */
        MALFORMED,
        /** SIGNATURE_ALGO is not 1, or a certificate is not RSASSA-PSS SHA-384 / a leaf not P-384. */
        UNSUPPORTED_ALGORITHM,
        /** A certificate needed (ARK, ASK/ASVK, VCEK/VLEK) is absent. */
        MISSING_CERTIFICATE,
        /** A certificate is not signed by its issuer, names do not chain, or the ARK is not trusted. */
        CHAIN_BROKEN,
        /** A certificate is outside its validity at the instant the caller asked about. */
        EXPIRED,
        /** The products named by the options, the report's CPUID and the certificates disagree. */
        PRODUCT_MISMATCH,
        /** SIGNING_KEY does not match the leaf (VCEK vs VLEK), the leaf is under the wrong intermediate, or none. */
        WRONG_KEY_KIND,
        /** The ECDSA signature does not verify with the leaf's key. */
        BAD_SIGNATURE,
        /** The leaf's SPL extensions differ from REPORTED_TCB. */
        TCB_MISMATCH,
        /** The VCEK's hwID differs from CHIP_ID (and CHIP_ID is not masked). */
        CHIP_ID_MISMATCH
    }

    public boolean ok() {
        return reason == Reason.OK;
    }

    @Override
    public String toString() {
        return reason + (product == null ? "" : " (" + product.displayName().toLowerCase(java.util.Locale.ROOT) + ")")
                + ": " + detail;
    }
}
