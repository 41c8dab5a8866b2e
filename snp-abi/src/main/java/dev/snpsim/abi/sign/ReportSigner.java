package dev.snpsim.abi.sign;

import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.ReportSignature;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Signs and checks attestation reports (SNP ABI spec, "Attestation Report" and "ECDSA
 * Signature Format"): SIGNATURE_ALGO 1, ECDSA over NIST P-384 with SHA-384 of bytes
 * 0x000..0x29F. Nonces follow RFC 6979 (HMAC-SHA-384), so signing is a pure function of
 * key and report. S is not normalised to the lower half, and neither is it by real
 * firmware: the real Milan report in go-sev-guest's test data has s > n/2. Verifiers
 * (go-sev-guest, virtee/sev, OpenSSL, this module's) accept either.
 *
 * <p>The arithmetic is {@link P384Ecdsa}: the signatures Bouncy Castle's {@code ECDSASigner}
 * computes, with its P-384 field arithmetic, but points worked on in place (no JCA
 * {@code Signature} lookup per call; about 15 KB allocated per signature and 9 KB per check,
 * against hundreds).
 */
public final class ReportSigner {
    /** Bytes 0x000..0x29F are signed; the signature field follows them. */
    private static final int SIGNED_SIZE = 0x2A0;

    private ReportSigner() {
    }

    /** The report with its SIGNATURE field set; the input's signature field is ignored. */
    public static AttestationReport sign(AttestationReport unsigned, ECPrivateKey key) {
        return unsigned.withSignature(signatureOf(unsigned.signedBytes(), P384.toParameters(key)));
    }

    /** The signature of already encoded signed bytes (0x2A0 of them) with a lightweight key. */
    public static ReportSignature signatureOf(byte[] signedBytes, ECPrivateKeyParameters key) {
        return signatureOf(signedBytes, 0, signedBytes.length, key);
    }

    /**
     * Signs an encoded report in place: {@code buf[offset, offset + 0x4A0)} holds the report
     * (as {@link AttestationReport#encodeInto} wrote it; its signature field is ignored). The
     * signature over {@code buf[offset, offset + 0x2A0)} is computed as {@link #sign} does and its
     * encoding written to {@code buf[offset + 0x2A0, offset + 0x4A0)}, so the buffer then holds
     * the signed report's encoding with no further copy. Returns the signature.
     */
    public static ReportSignature signEncoded(byte[] buf, int offset, ECPrivateKeyParameters key) {
        if (offset < 0 || buf.length - offset < AttestationReport.SIZE) {
            throw new IllegalArgumentException("no 0x4a0-byte report at offset " + offset + " of a " + buf.length
                    + "-byte buffer");
        }
        ReportSignature sig = signatureOf(buf, offset, SIGNED_SIZE, key);
        sig.encodeInto(buf, offset + SIGNED_SIZE);
        return sig;
    }

    /**
     * True if the report's signature verifies under {@code key}. A raw check: it does not
     * look at SIGNATURE_ALGO, the signer bits or any certificate (that is the verifier's job).
     */
    public static boolean verifySignature(AttestationReport r, ECPublicKey key) {
        return verify(r.signedBytes(), r.signature(), P384.toParameters(key));
    }

    /**
     * As {@link #verifySignature(AttestationReport, ECPublicKey)} for a report still in its
     * encoding, without decoding or re-encoding it: {@code encoded} is first checked as
     * {@link AttestationReport#decode} checks it (throwing the same
     * {@link dev.snpsim.abi.AbiException} if malformed); such bytes are the canonical encoding
     * of the report they decode to, so the signature in 0x2A0.. is checked over their first
     * 0x2A0 bytes as received. Same answer as {@code verifySignature(decode(encoded), key)}.
     */
    public static boolean verifyEncoded(byte[] encoded, ECPublicKey key) {
        AttestationReport.validate(encoded);
        ReportSignature sig = ReportSignature.decode(encoded, SIGNED_SIZE);
        return verify(encoded, 0, SIGNED_SIZE, sig, P384.toParameters(key));
    }

    /** As {@link #verifySignature} on signed bytes and a lightweight key. */
    public static boolean verify(byte[] signedBytes, ReportSignature sig, ECPublicKeyParameters key) {
        return verify(signedBytes, 0, signedBytes.length, sig, key);
    }

    private static ReportSignature signatureOf(byte[] data, int off, int len, ECPrivateKeyParameters key) {
        BigInteger[] rs = P384Ecdsa.sign(key, sha384(data, off, len));
        return new ReportSignature(rs[0], rs[1]);
    }

    private static boolean verify(byte[] data, int off, int len, ReportSignature sig, ECPublicKeyParameters key) {
        BigInteger n = P384.order();
        if (sig.r().signum() <= 0 || sig.s().signum() <= 0 || sig.r().compareTo(n) >= 0 || sig.s().compareTo(n) >= 0) {
            return false;
        }
        return P384Ecdsa.verify(key, sha384(data, off, len), sig.r(), sig.s());
    }

    private static byte[] sha384(byte[] data, int off, int len) {
        SHA384Digest d = new SHA384Digest();
        d.update(data, off, len);
        byte[] h = new byte[d.getDigestSize()];
        d.doFinal(h, 0);
        return h;
    }
}
