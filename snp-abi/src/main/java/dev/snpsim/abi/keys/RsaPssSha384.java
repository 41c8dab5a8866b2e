package dev.snpsim.abi.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.operator.ContentSigner;

/**
 * RSASSA-PSS with SHA-384, MGF1-SHA-384, salt length 48 and trailer field 1: the
 * signature of every AMD certificate (ARK, ASK, ASVK, VCEK, VLEK). The algorithm
 * identifier is encoded as AMD encodes it, with SHA-384 carrying NULL parameters and the
 * default trailer field written out explicitly.
 */
public final class RsaPssSha384 {
    /** PKCS#1 OID of RSASSA-PSS. */
    public static final String OID = PKCSObjectIdentifiers.id_RSASSA_PSS.getId();
    /** Salt length in bytes (SHA-384 output size). */
    public static final int SALT_LENGTH = 48;

    private static final AlgorithmIdentifier SHA384 =
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE);
    /** The algorithm identifier, byte for byte as in AMD's certificates. */
    public static final AlgorithmIdentifier ALGORITHM = new AlgorithmIdentifier(
            PKCSObjectIdentifiers.id_RSASSA_PSS,
            new DERSequence(new ASN1Encodable[] {
                new DERTaggedObject(true, 0, SHA384),
                new DERTaggedObject(true, 1, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, SHA384)),
                new DERTaggedObject(true, 2, new ASN1Integer(SALT_LENGTH)),
                new DERTaggedObject(true, 3, new ASN1Integer(1)),
            }));

    private RsaPssSha384() {
    }

    /** A content signer for certificate builders; salts come from {@code saltRandom}. */
    static ContentSigner signer(RSAKeyParameters privateKey, SecureRandom saltRandom) {
        return new ContentSigner() {
            private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(2048);

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return ALGORITHM;
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                PSSSigner s = newSigner(new RSABlindedEngine());
                s.init(true, new ParametersWithRandom(privateKey, saltRandom));
                byte[] m = tbs.toByteArray();
                s.update(m, 0, m.length);
                try {
                    return s.generateSignature();
                } catch (CryptoException e) {
                    throw new IllegalStateException("rsa-pss signing failed", e);
                }
            }
        };
    }

    /**
     * Null if the certificate's signature algorithm is RSASSA-PSS with exactly AMD's
     * parameters; otherwise a lowercase description of what it is instead.
     */
    public static String unsupportedReason(X509Certificate cert) {
        if (!OID.equals(cert.getSigAlgOID())) {
            return "signature algorithm " + cert.getSigAlgOID() + " (" + cert.getSigAlgName()
                    + ") is not rsassa-pss " + OID;
        }
        RSASSAPSSparams p;
        try {
            byte[] enc = cert.getSigAlgParams();
            if (enc == null) {
                return "rsassa-pss parameters missing (expected: sha-384, mgf1 sha-384, salt 48)";
            }
            p = RSASSAPSSparams.getInstance(ASN1Primitive.fromByteArray(enc));
        } catch (IOException | IllegalArgumentException e) {
            return "rsassa-pss parameters do not parse: " + e.getMessage();
        }
        String hash = p.getHashAlgorithm().getAlgorithm().getId();
        AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
        String mgfHash = mgf.getParameters() == null ? "none"
                : AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm().getId();
        String sha384 = NISTObjectIdentifiers.id_sha384.getId();
        if (!hash.equals(sha384) || !mgf.getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)
                || !mgfHash.equals(sha384) || p.getSaltLength().intValueExact() != SALT_LENGTH
                || p.getTrailerField().intValueExact() != 1) {
            return String.format("rsassa-pss parameters hash %s, mgf %s/%s, salt %d, trailer %d "
                    + "(expected: sha-384 %s, mgf1 sha-384, salt 48, trailer 1)", hash, mgf.getAlgorithm().getId(),
                    mgfHash, p.getSaltLength(), p.getTrailerField(), sha384);
        }
        return null;
    }

    /** True if {@code issuerKey} made the certificate's RSASSA-PSS SHA-384 signature. */
    public static boolean isSignedBy(X509Certificate cert, RSAPublicKey issuerKey) {
        PSSSigner v = newSigner(new RSAEngine());
        v.init(false, new RSAKeyParameters(false, issuerKey.getModulus(), issuerKey.getPublicExponent()));
        try {
            byte[] tbs = cert.getTBSCertificate();
            v.update(tbs, 0, tbs.length);
        } catch (CertificateEncodingException e) {
            return false;
        }
        return v.verifySignature(cert.getSignature());
    }

    private static PSSSigner newSigner(org.bouncycastle.crypto.AsymmetricBlockCipher engine) {
        return new PSSSigner(engine, new SHA384Digest(), new SHA384Digest(), SALT_LENGTH, PSSSigner.TRAILER_IMPLICIT);
    }
}
