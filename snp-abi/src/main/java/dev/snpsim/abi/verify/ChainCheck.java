package dev.snpsim.abi.verify;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.keys.RsaPssSha384;
import dev.snpsim.abi.verify.Verdict.Reason;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The certificate chain checks: AMD's algorithm, self-signed ARK, intermediate (ASK or
 * ASVK) signed by the ARK, leaf signed by the intermediate, names chaining, one product
 * named throughout, and optionally validity at an instant.
 */
final class ChainCheck {
    /** Which AMD intermediate a certificate is, from its common name. */
    enum Intermediate { ASK, ASVK }

    /** What the chain established. */
    record Result(Product product, Intermediate intermediate) {
    }

    private ChainCheck() {
    }

    static Result check(X509Certificate ark, X509Certificate mid, X509Certificate leaf, Optional<Instant> at)
            throws Rejected {
        require(ark, "ark");
        require(mid, "ask or asvk");
        algorithm(ark, "ark");
        algorithm(mid, commonName(mid));
        if (leaf != null) {
            algorithm(leaf, commonName(leaf));
        }
        if (!(ark.getPublicKey() instanceof RSAPublicKey arkKey)) {
            throw new Rejected(Reason.UNSUPPORTED_ALGORITHM, "ark key is " + ark.getPublicKey().getAlgorithm()
                    + " (expected: rsa)");
        }
        if (!ark.getIssuerX500Principal().equals(ark.getSubjectX500Principal())) {
            throw new Rejected(Reason.CHAIN_BROKEN, "ark is not self-issued: issuer '" + commonNameOfIssuer(ark)
                    + "', subject '" + commonName(ark) + "'");
        }
        if (!RsaPssSha384.isSignedBy(ark, arkKey)) {
            throw new Rejected(Reason.CHAIN_BROKEN, "ark '" + commonName(ark) + "' self-signature does not verify");
        }
        signedBy(mid, ark);
        Product product = productOf(ark, "ARK-");
        Intermediate kind = commonName(mid).startsWith("SEV-VLEK-") ? Intermediate.ASVK : Intermediate.ASK;
        Product midProduct = productOf(mid, kind == Intermediate.ASVK ? "SEV-VLEK-" : "SEV-");
        if (midProduct != product) {
            throw new Rejected(Reason.CHAIN_BROKEN, "'" + commonName(mid) + "' is not an intermediate of '"
                    + commonName(ark) + "'");
        }
        if (leaf != null) {
            signedBy(leaf, mid);
            if (!(leaf.getPublicKey() instanceof ECPublicKey ec) || !P384.isP384(ec.getParams())) {
                throw new Rejected(Reason.UNSUPPORTED_ALGORITHM, "'" + commonName(leaf) + "' key is not ec p-384");
            }
        }
        if (at.isPresent()) {
            validAt(ark, at.get());
            validAt(mid, at.get());
            if (leaf != null) {
                validAt(leaf, at.get());
            }
        }
        return new Result(product, kind);
    }

    static String commonName(X509Certificate cert) {
        return cn(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()));
    }

    private static String commonNameOfIssuer(X509Certificate cert) {
        return cn(X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()));
    }

    private static String cn(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? name.toString() : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private static void require(X509Certificate cert, String what) throws Rejected {
        if (cert == null) {
            throw new Rejected(Reason.MISSING_CERTIFICATE, what + " certificate is missing");
        }
    }

    private static void algorithm(X509Certificate cert, String what) throws Rejected {
        String why = RsaPssSha384.unsupportedReason(cert);
        if (why != null) {
            throw new Rejected(Reason.UNSUPPORTED_ALGORITHM, what.toLowerCase(Locale.ROOT) + ": " + why);
        }
    }

    private static void signedBy(X509Certificate cert, X509Certificate issuer) throws Rejected {
        String name = commonName(cert);
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new Rejected(Reason.CHAIN_BROKEN, "'" + name + "' is issued by '" + commonNameOfIssuer(cert)
                    + "', not by '" + commonName(issuer) + "'");
        }
        if (!(issuer.getPublicKey() instanceof RSAPublicKey key)) {
            throw new Rejected(Reason.UNSUPPORTED_ALGORITHM, "'" + commonName(issuer) + "' key is not rsa");
        }
        if (!RsaPssSha384.isSignedBy(cert, key)) {
            throw new Rejected(Reason.CHAIN_BROKEN, "'" + name + "' signature does not verify with the key of '"
                    + commonName(issuer) + "'");
        }
    }

    private static Product productOf(X509Certificate cert, String prefix) throws Rejected {
        String cn = commonName(cert);
        if (!cn.startsWith(prefix)) {
            throw new Rejected(Reason.CHAIN_BROKEN, "'" + cn + "' is not an amd " + prefix + "<product> name");
        }
        try {
            return Product.parse(cn.substring(prefix.length()));
        } catch (AbiException e) {
            throw new Rejected(Reason.CHAIN_BROKEN, "'" + cn + "' names no known product");
        }
    }

    private static void validAt(X509Certificate cert, Instant at) throws Rejected {
        try {
            cert.checkValidity(Date.from(at));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new Rejected(Reason.EXPIRED, String.format(Locale.ROOT, "'%s' is valid %s..%s, not at %s",
                    commonName(cert), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), at));
        }
    }
}
