package dev.snpsim.abi.keys;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * NIST P-384 (secp384r1), the curve of VCEKs, VLEKs and report signatures: conversions
 * between JCA keys and Bouncy Castle's lightweight parameters, which sign and verify
 * faster than JCA objects created per call.
 */
public final class P384 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("P-384");
    /** Bouncy Castle domain parameters of P-384 (the optimised custom curve). */
    public static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
    private static final ECParameterSpec JCA_SPEC = jcaSpec();
    /** The group order and the generator's x, as BigIntegers once (see {@link #isP384}). */
    private static final BigInteger N = DOMAIN.getN();
    private static final BigInteger G_X = DOMAIN.getG().getAffineXCoord().toBigInteger();
    private static final int PUBLIC_CACHE_SIZE = 256;
    private static final Map<java.security.spec.ECPoint, ECPublicKeyParameters> PUBLIC_CACHE =
            new ConcurrentHashMap<>();

    private P384() {
    }

    /** The group order n. */
    public static BigInteger order() {
        return DOMAIN.getN();
    }

    /** The JCA key pair for private scalar {@code d} (1 <= d < n). */
    public static ECPrivateKey privateKey(BigInteger d) {
        checkScalar(d);
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, JCA_SPEC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jdk cannot build a p-384 private key", e);
        }
    }

    /** The public key d*G for private scalar {@code d}. */
    public static ECPublicKey publicKey(BigInteger d) {
        checkScalar(d);
        ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize();
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, JCA_SPEC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jdk cannot build a p-384 public key", e);
        }
    }

    /** Lightweight private key parameters; rejects keys on another curve. */
    public static ECPrivateKeyParameters toParameters(ECPrivateKey key) {
        requireP384(key.getParams(), "private");
        return new ECPrivateKeyParameters(key.getS(), DOMAIN);
    }

    /**
     * Lightweight public key parameters; rejects keys on another curve or off the curve.
     * The last few keys are remembered: Bouncy Castle keeps its precomputed multiples on
     * the point object, so verifying many reports under one VCEK reuses them.
     */
    public static ECPublicKeyParameters toParameters(ECPublicKey key) {
        requireP384(key.getParams(), "public");
        java.security.spec.ECPoint w = key.getW();
        ECPublicKeyParameters hit = PUBLIC_CACHE.get(w);
        if (hit != null) {
            return hit;
        }
        ECPoint q = DOMAIN.getCurve().validatePoint(w.getAffineX(), w.getAffineY());
        ECPublicKeyParameters params = new ECPublicKeyParameters(q, DOMAIN);
        if (PUBLIC_CACHE.size() >= PUBLIC_CACHE_SIZE) {
            PUBLIC_CACHE.clear();
        }
        PUBLIC_CACHE.put(w, params);
        return params;
    }

    /**
     * True if the JCA parameters are those of P-384: the JDK's own secp384r1 object (what
     * {@link #privateKey} and {@link #publicKey} build keys on), else compared by value with
     * constants converted once: every sign and verify checks its key, and converting the
     * generator from Bouncy Castle's field representation per call was a large part of the
     * simulator's allocation.
     */
    public static boolean isP384(ECParameterSpec params) {
        return params != null && (params == JCA_SPEC
                || params.getOrder().equals(N)
                && params.getCurve().getField().getFieldSize() == 384
                && params.getGenerator().getAffineX().equals(G_X));
    }

    private static void requireP384(ECParameterSpec params, String what) {
        if (!isP384(params)) {
            throw new IllegalArgumentException(what + " key is not on curve p-384");
        }
    }

    private static void checkScalar(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(DOMAIN.getN()) >= 0) {
            throw new IllegalArgumentException("p-384 private scalar out of range [1, n)");
        }
    }

    private static ECParameterSpec jcaSpec() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp384r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jdk lacks secp384r1", e);
        }
    }
}
