package dev.snpsim.abi.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/** Builds and signs certificates in the shape of AMD's (see {@link AmdNames}). */
final class CertificateIssuer {
    private CertificateIssuer() {
    }

    /** The template every certificate shares; {@code extensions} adds the rest in order. */
    static X509Certificate issue(X500Name issuer, X500Name subject, BigInteger serial, Instant notBefore,
                                 int years, PublicKey subjectKey, RSAKeyParameters issuerKey,
                                 SecureRandom saltRandom, Consumer<X509v3CertificateBuilder> extensions) {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                Date.from(AmdNames.plusYears(notBefore, years)), subject, spki(subjectKey));
        extensions.accept(b);
        byte[] der;
        try {
            der = b.build(RsaPssSha384.signer(issuerKey, saltRandom)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode certificate " + subject, e);
        }
        return parse(der);
    }

    static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalStateException("jdk rejects a certificate we built", e);
        }
    }

    /** ARK extensions: key usage (critical), SKI, basic constraints CA (critical), CRL DP. */
    static Consumer<X509v3CertificateBuilder> arkExtensions(PublicKey key, String crl) {
        return b -> add(b, () -> {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ski(key));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.cRLDistributionPoints, false, crl(crl));
        });
    }

    /** ASK/ASVK extensions: SKI, AKI, basic constraints CA pathlen 0, key usage, CRL DP. */
    static Consumer<X509v3CertificateBuilder> intermediateExtensions(PublicKey key, PublicKey arkKey, String crl) {
        return b -> add(b, () -> {
            b.addExtension(Extension.subjectKeyIdentifier, false, ski(key));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(ski(arkKey).getKeyIdentifier()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            b.addExtension(Extension.cRLDistributionPoints, false, crl(crl));
        });
    }

    /** RFC 5280 method 1, as AMD does: SHA-1 of the subjectPublicKey bits. */
    static SubjectKeyIdentifier ski(PublicKey key) {
        byte[] bits = spki(key).getPublicKeyData().getBytes();
        SHA1Digest d = new SHA1Digest();
        d.update(bits, 0, bits.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return new SubjectKeyIdentifier(out);
    }

    private static SubjectPublicKeyInfo spki(PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }

    private static CRLDistPoint crl(String uri) {
        GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        return new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(names), null, null)});
    }

    private interface ExtensionAdder {
        void run() throws CertIOException;
    }

    private static void add(X509v3CertificateBuilder b, ExtensionAdder adder) {
        try {
            adder.run();
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode extension", e);
        }
    }
}
