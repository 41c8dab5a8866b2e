package dev.snpsim.abi.sign;

import dev.snpsim.abi.keys.P384;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.PreCompInfo;
import org.bouncycastle.math.ec.custom.sec.SecP384R1Field;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA over P-384 with SHA-384 digests, computing the same signatures as Bouncy Castle's
 * {@code ECDSASigner} with an RFC 6979 {@code HMacDSAKCalculator} (same nonces, same r and s),
 * but with the point arithmetic done in place on reused arrays.
 *
 * <p>Why: Bouncy Castle's points and field elements are immutable, and its 384-bit product
 * uses Karatsuba temporaries, so one signature plus one verification allocates about 680 KB.
 * Streaming that through the caches and the young generation cost about a tenth of the time of
 * both, in the simulator and in the benchmark's floor loop alike. Here the field arithmetic is
 * still Bouncy Castle's ({@link SecP384R1Field} reduction on 12 little-endian 32-bit limbs,
 * always fully reduced, with its schoolbook {@link Nat#mul} product); the point formulas, the
 * comb loops and the per-operation scratch arrays are this class's. A signature plus its check
 * allocates about 25 KB, most of it the RFC 6979 nonce generator's and BigInteger's.
 *
 * <ul>
 *   <li>Points are Jacobian (X, Y, Z), x = X/Z², y = Y/Z³, infinity when Z = 0; formulas for
 *       a = -3: doubling "dbl-2001-b", mixed addition "madd-2007-bl" (Explicit-Formulas
 *       Database), with the equal-point and opposite-point cases handled.</li>
 *   <li>Signing multiplies the generator with a fixed-point comb: six teeth 64 bits apart, a
 *       table of 63 affine points computed once. Bouncy Castle's signer uses a comb of the same
 *       shape.</li>
 *   <li>Verifying computes u1·G + u2·Q in one comb loop of 64 doublings, adding from G's table
 *       and from a table of Q computed on the first verification under that key and kept on
 *       its point (Bouncy Castle's verifier does likewise with its own tables).</li>
 * </ul>
 *
 * <p>Not constant-time (table lookups and branches depend on the scalars): the keys are a
 * simulator's. Thread-safe: every call works in arrays of its own, and a key's comb is
 * published through Bouncy Castle's synchronised precomputation on its point.
 */
public final class P384Ecdsa {
    private static final int LIMBS = 12;
    private static final BigInteger N = P384.order();
    private static final int[] ONE = Nat.fromBigInteger(384, BigInteger.ONE);

    /**
     * Combs: for a point P, T[b] = the sum over the set bits j of b of 2^(64 j) P, b = 1..63
     * (index 0 unused), affine. The generator's is computed once; a public key's is kept on its
     * Bouncy Castle point (as Bouncy Castle keeps its own precomputations there), so the keys
     * {@link P384#toParameters(java.security.interfaces.ECPublicKey)} remembers keep theirs.
     */
    private static final int COMB_TEETH = 6;
    private static final int COMB_SPACING = 64;
    private static final Affine[] G_COMB = comb(P384.DOMAIN.getG());
    private static final String PRECOMP_NAME = P384Ecdsa.class.getName() + ".comb";

    private P384Ecdsa() {
    }

    /**
     * The signature (r, s) of a 48-byte SHA-384 {@code digest} under {@code key}, with the
     * RFC 6979 nonce: exactly what {@code ECDSASigner(new HMacDSAKCalculator(new
     * SHA384Digest()))} returns for the same key and digest.
     */
    public static BigInteger[] sign(ECPrivateKeyParameters key, byte[] digest) {
        BigInteger d = key.getD();
        BigInteger e = digestToInteger(digest);
        HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA384Digest());
        nonces.init(N, d, digest);
        Work w = new Work();
        while (true) {
            BigInteger k = nonces.nextK();
            w.combG(Nat.fromBigInteger(384, k));
            if (w.isInfinity()) {
                continue; // k is in [1, n-1], so kG is never infinity; a guard, not a case
            }
            BigInteger r = w.affineX().mod(N);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
            if (s.signum() != 0) {
                return new BigInteger[] {r, s};
            }
        }
    }

    /**
     * True if (r, s) is a valid signature of the 48-byte {@code digest} under {@code key}; false
     * for r or s outside [1, n-1], as Bouncy Castle's {@code ECDSASigner.verifySignature}
     * answers.
     */
    public static boolean verify(ECPublicKeyParameters key, byte[] digest, BigInteger r, BigInteger s) {
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger e = digestToInteger(digest);
        BigInteger c = BigIntegers.modOddInverse(N, s);
        BigInteger u1 = e.multiply(c).mod(N);
        BigInteger u2 = r.multiply(c).mod(N);
        Work w = new Work();
        w.sumOfTwo(Nat.fromBigInteger(384, u1), combOf(key.getQ()), Nat.fromBigInteger(384, u2));
        if (w.isInfinity()) {
            return false;
        }
        return w.affineX().mod(N).equals(r);
    }

    /** The affine (x, y) of k·G, or null for infinity (tests compare it with Bouncy Castle). */
    static BigInteger[] multiplyG(BigInteger k) {
        Work w = new Work();
        w.combG(Nat.fromBigInteger(384, k.mod(N)));
        return w.isInfinity() ? null : new BigInteger[] {w.affineX(), w.affineY()};
    }

    /** The affine (x, y) of u1·G + u2·Q, or null for infinity (tests compare it with Bouncy Castle). */
    static BigInteger[] sumOfTwo(BigInteger u1, ECPublicKeyParameters q, BigInteger u2) {
        Work w = new Work();
        w.sumOfTwo(Nat.fromBigInteger(384, u1.mod(N)), combOf(q.getQ()), Nat.fromBigInteger(384, u2.mod(N)));
        return w.isInfinity() ? null : new BigInteger[] {w.affineX(), w.affineY()};
    }

    /** The hash as an integer: SHA-384 gives as many bits as n has, so nothing is cut. */
    private static BigInteger digestToInteger(byte[] digest) {
        if (digest.length != 48) {
            throw new IllegalArgumentException("digest is " + digest.length + " bytes (expected: 48, sha-384)");
        }
        return new BigInteger(1, digest);
    }

    /** The comb of a public point, computed on first use and kept on the point. */
    private static Affine[] combOf(ECPoint q) {
        PreCompInfo info = q.getCurve().precompute(q, PRECOMP_NAME,
                existing -> existing instanceof Comb ? existing : new Comb(comb(q)));
        return ((Comb) info).table;
    }

    /** A point's comb, as Bouncy Castle keeps it on the point. */
    private static final class Comb implements PreCompInfo {
        final Affine[] table;

        Comb(Affine[] table) {
            this.table = table;
        }
    }

    /** An affine point. */
    private record Affine(int[] x, int[] y) {
        static Affine of(ECPoint p) {
            ECPoint n = p.normalize();
            int[] x = Nat.fromBigInteger(384, n.getAffineXCoord().toBigInteger());
            int[] y = Nat.fromBigInteger(384, n.getAffineYCoord().toBigInteger());
            return new Affine(x, y);
        }
    }

    /** The comb of {@code base}, computed with Bouncy Castle's points. */
    private static Affine[] comb(ECPoint base) {
        ECPoint[] teeth = new ECPoint[COMB_TEETH];
        teeth[0] = base.normalize();
        for (int j = 1; j < COMB_TEETH; j++) {
            teeth[j] = teeth[j - 1].timesPow2(COMB_SPACING);
        }
        ECPoint[] pts = new ECPoint[1 << COMB_TEETH];
        pts[0] = teeth[0].getCurve().getInfinity();
        for (int b = 1; b < pts.length; b++) {
            int low = Integer.numberOfTrailingZeros(b);
            pts[b] = pts[b & (b - 1)].add(teeth[low]);
        }
        ECPoint[] nonZero = Arrays.copyOfRange(pts, 1, pts.length);
        teeth[0].getCurve().normalizeAll(nonZero);
        Affine[] out = new Affine[pts.length];
        for (int b = 1; b < pts.length; b++) {
            out[b] = Affine.of(nonZero[b - 1]);
        }
        return out;
    }

    /** One operation's point and scratch arrays. */
    private static final class Work {
        final int[] x = new int[LIMBS];
        final int[] y = new int[LIMBS];
        final int[] z = new int[LIMBS];
        final int[] t1 = new int[LIMBS];
        final int[] t2 = new int[LIMBS];
        final int[] t3 = new int[LIMBS];
        final int[] t4 = new int[LIMBS];
        final int[] t5 = new int[LIMBS];
        final int[] t6 = new int[LIMBS];
        final int[] t7 = new int[LIMBS];
        final int[] tt = new int[2 * LIMBS];

        /** out = a b mod p: Bouncy Castle's schoolbook product (no temporaries) and P-384 reduction. */
        void mul(int[] a, int[] b, int[] out) {
            Nat.mul(LIMBS, a, b, tt);
            SecP384R1Field.reduce(tt, out);
        }

        /** out = a^2 mod p. */
        void sqr(int[] a, int[] out) {
            Nat.square(LIMBS, a, tt);
            SecP384R1Field.reduce(tt, out);
        }

        boolean isInfinity() {
            return Nat.isZero(LIMBS, z);
        }

        void setInfinity() {
            Nat.zero(LIMBS, x);
            Nat.zero(LIMBS, y);
            Nat.zero(LIMBS, z);
        }

        /** This point becomes k·G (k < n, 12 limbs) by the comb. */
        void combG(int[] k) {
            setInfinity();
            for (int i = COMB_SPACING - 1; i >= 0; i--) {
                twice();
                int b = tooth(k, i);
                if (b != 0) {
                    addAffine(G_COMB[b]);
                }
            }
        }

        /** This point becomes u1·G + u2·Q (scalars below n, 12 limbs; {@code q} is Q's comb): one loop of doublings. */
        void sumOfTwo(int[] u1, Affine[] q, int[] u2) {
            setInfinity();
            for (int i = COMB_SPACING - 1; i >= 0; i--) {
                twice();
                int bg = tooth(u1, i);
                if (bg != 0) {
                    addAffine(G_COMB[bg]);
                }
                int bq = tooth(u2, i);
                if (bq != 0) {
                    addAffine(q[bq]);
                }
            }
        }

        /** The comb index at column i: bit j is the scalar's bit 64 j + i. */
        private static int tooth(int[] k, int i) {
            int b = 0;
            for (int j = COMB_TEETH - 1; j >= 0; j--) {
                int bit = j * COMB_SPACING + i;
                b = (b << 1) | ((k[bit >>> 5] >>> (bit & 31)) & 1);
            }
            return b;
        }

        /** Doubling in place, a = -3 (dbl-2001-b). Infinity stays infinity (Z3 = 0). */
        void twice() {
            sqr(z, t1);                                // delta = Z^2
            sqr(y, t2);                                // gamma = Y^2
            mul(x, t2, t3);                            // beta = X gamma
            SecP384R1Field.subtract(x, t1, t4);
            SecP384R1Field.add(x, t1, t5);
            mul(t4, t5, t4);
            SecP384R1Field.twice(t4, t5);
            SecP384R1Field.add(t4, t5, t4);            // alpha = 3 (X - delta)(X + delta)
            SecP384R1Field.add(y, z, z);
            sqr(z, z);
            SecP384R1Field.subtract(z, t2, z);
            SecP384R1Field.subtract(z, t1, z);         // Z3 = (Y + Z)^2 - gamma - delta
            SecP384R1Field.twice(t3, t3);
            SecP384R1Field.twice(t3, t3);              // 4 beta
            SecP384R1Field.twice(t3, t5);              // 8 beta
            sqr(t4, x);
            SecP384R1Field.subtract(x, t5, x);         // X3 = alpha^2 - 8 beta
            SecP384R1Field.subtract(t3, x, t3);
            mul(t4, t3, t3);
            sqr(t2, t2);
            SecP384R1Field.twice(t2, t2);
            SecP384R1Field.twice(t2, t2);
            SecP384R1Field.twice(t2, t2);              // 8 gamma^2
            SecP384R1Field.subtract(t3, t2, y);        // Y3 = alpha (4 beta - X3) - 8 gamma^2
        }

        /** Adds the affine point (ax, ay) in place (madd-2007-bl), equal and opposite points included. */
        void addAffine(Affine a) {
            int[] ax = a.x;
            int[] ay = a.y;
            if (isInfinity()) {
                System.arraycopy(ax, 0, x, 0, LIMBS);
                System.arraycopy(ay, 0, y, 0, LIMBS);
                System.arraycopy(ONE, 0, z, 0, LIMBS);
                return;
            }
            sqr(z, t1);                                // Z1Z1
            mul(ax, t1, t2);                           // U2 = x2 Z1Z1
            mul(z, t1, t3);
            mul(ay, t3, t3);                           // S2 = y2 Z1 Z1Z1
            SecP384R1Field.subtract(t2, x, t2);        // H = U2 - X1
            SecP384R1Field.subtract(t3, y, t3);        // S2 - Y1
            if (Nat.isZero(LIMBS, t2)) {
                if (Nat.isZero(LIMBS, t3)) {
                    twice();                           // the same point
                } else {
                    setInfinity();                     // the opposite point
                }
                return;
            }
            SecP384R1Field.twice(t3, t3);              // r = 2 (S2 - Y1)
            sqr(t2, t4);                               // HH
            SecP384R1Field.twice(t4, t5);
            SecP384R1Field.twice(t5, t5);              // I = 4 HH
            mul(t2, t5, t6);                           // J = H I
            mul(x, t5, t7);                            // V = X1 I
            SecP384R1Field.add(z, t2, z);
            sqr(z, z);
            SecP384R1Field.subtract(z, t1, z);
            SecP384R1Field.subtract(z, t4, z);         // Z3 = (Z1 + H)^2 - Z1Z1 - HH
            sqr(t3, x);
            SecP384R1Field.subtract(x, t6, x);
            SecP384R1Field.twice(t7, t5);
            SecP384R1Field.subtract(x, t5, x);         // X3 = r^2 - J - 2 V
            SecP384R1Field.subtract(t7, x, t7);
            mul(t3, t7, t7);
            mul(y, t6, t6);
            SecP384R1Field.twice(t6, t6);
            SecP384R1Field.subtract(t7, t6, y);        // Y3 = r (V - X3) - 2 Y1 J
        }

        /** x = X / Z^2 as an integer in [0, p); not for infinity. */
        BigInteger affineX() {
            SecP384R1Field.inv(z, t1);
            sqr(t1, t2);
            mul(x, t2, t3);
            return Nat.toBigInteger(LIMBS, t3);
        }

        /** y = Y / Z^3 as an integer in [0, p); not for infinity. */
        BigInteger affineY() {
            SecP384R1Field.inv(z, t1);
            sqr(t1, t2);
            mul(t1, t2, t2);
            mul(y, t2, t3);
            return Nat.toBigInteger(LIMBS, t3);
        }
    }
}
