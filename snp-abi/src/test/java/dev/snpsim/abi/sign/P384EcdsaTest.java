package dev.snpsim.abi.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.keys.P384;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** {@link P384Ecdsa} against Bouncy Castle's signer and point arithmetic, which it must equal. */
class P384EcdsaTest {
    private static final BigInteger N = P384.order();
    private static final ECPoint G = P384.DOMAIN.getG();

    private static BigInteger scalar(Random rnd) {
        return new BigInteger(384, rnd).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    private static ECPrivateKeyParameters privateKey(BigInteger d) {
        return new ECPrivateKeyParameters(d, P384.DOMAIN);
    }

    /** A fresh public key object each time, so its comb is computed anew. */
    private static ECPublicKeyParameters publicKey(BigInteger d) {
        return new ECPublicKeyParameters(G.multiply(d).normalize(), P384.DOMAIN);
    }

    private static BigInteger[] bouncyCastleSign(ECPrivateKeyParameters key, byte[] digest) {
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA384Digest()));
        s.init(true, key);
        return s.generateSignature(digest);
    }

    private static boolean bouncyCastleVerify(ECPublicKeyParameters key, byte[] digest, BigInteger r, BigInteger s) {
        ECDSASigner v = new ECDSASigner();
        v.init(false, key);
        return v.verifySignature(digest, r, s);
    }

    private static BigInteger[] affine(ECPoint p) {
        if (p.isInfinity()) {
            return null;
        }
        ECPoint n = p.normalize();
        return new BigInteger[] {n.getAffineXCoord().toBigInteger(), n.getAffineYCoord().toBigInteger()};
    }

    @Test
    void signaturesAreBouncyCastlesRfc6979SignaturesAndVerifyBothWays() {
        Random rnd = new Random(6979);
        for (int i = 0; i < 60; i++) {
            BigInteger d = scalar(rnd);
            byte[] digest = new byte[48];
            rnd.nextBytes(digest);
            BigInteger[] ours = P384Ecdsa.sign(privateKey(d), digest);
            BigInteger[] theirs = bouncyCastleSign(privateKey(d), digest);
            assertThat(ours).as("key %d", i).containsExactly(theirs);
            ECPublicKeyParameters pub = publicKey(d);
            assertThat(P384Ecdsa.verify(pub, digest, ours[0], ours[1])).isTrue();
            assertThat(bouncyCastleVerify(pub, digest, ours[0], ours[1])).isTrue();
        }
    }

    @Test
    void alteredSignaturesDigestsAndKeysAreRefused() {
        Random rnd = new Random(7);
        BigInteger d = scalar(rnd);
        ECPublicKeyParameters pub = publicKey(d);
        byte[] digest = new byte[48];
        rnd.nextBytes(digest);
        BigInteger[] sig = bouncyCastleSign(privateKey(d), digest);
        BigInteger r = sig[0];
        BigInteger s = sig[1];
        assertThat(P384Ecdsa.verify(pub, digest, r, s)).isTrue();
        assertThat(P384Ecdsa.verify(pub, digest, r.add(BigInteger.ONE).mod(N), s)).isFalse();
        assertThat(P384Ecdsa.verify(pub, digest, r, s.add(BigInteger.ONE).mod(N))).isFalse();
        assertThat(P384Ecdsa.verify(pub, digest, s, r)).isFalse();
        assertThat(P384Ecdsa.verify(publicKey(d.add(BigInteger.ONE)), digest, r, s)).isFalse();
        for (int bit = 0; bit < 384; bit += 47) {
            byte[] flipped = digest.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(P384Ecdsa.verify(pub, flipped, r, s)).as("digest bit %d flipped", bit).isFalse();
        }
        // out of range: as Bouncy Castle, refused before any arithmetic
        for (BigInteger bad : List.of(BigInteger.ZERO, N, N.add(r), BigInteger.ONE.negate())) {
            assertThat(P384Ecdsa.verify(pub, digest, bad, s)).as("r = %s", bad).isFalse();
            assertThat(P384Ecdsa.verify(pub, digest, r, bad)).as("s = %s", bad).isFalse();
            assertThat(bouncyCastleVerify(pub, digest, bad, s)).isFalse();
        }
    }

    @Test
    void digestsOtherThanSha384AreRejectedByLength() {
        ECPrivateKeyParameters key = privateKey(BigInteger.TEN);
        assertThatThrownBy(() -> P384Ecdsa.sign(key, new byte[32]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> P384Ecdsa.verify(publicKey(BigInteger.TEN), new byte[64], BigInteger.ONE, BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 bytes");
    }

    @Test
    void generatorMultiplesMatchBouncyCastleOnEdgeAndRandomScalars() {
        List<BigInteger> ks = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3),
                BigInteger.valueOf(63), BigInteger.valueOf(64), N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO),
                BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(320), BigInteger.ONE.shiftLeft(383).mod(N),
                BigInteger.ONE.shiftLeft(384).subtract(BigInteger.ONE).mod(N)));
        // every tooth of one column set, and every column of one tooth set
        BigInteger column = BigInteger.ZERO;
        for (int j = 0; j < 6; j++) {
            column = column.setBit(64 * j + 17);
        }
        ks.add(column);
        ks.add(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE).shiftLeft(128));
        Random rnd = new Random(384);
        for (int i = 0; i < 40; i++) {
            ks.add(scalar(rnd));
        }
        for (BigInteger k : ks) {
            assertThat(P384Ecdsa.multiplyG(k)).as("k = %s", k.toString(16)).containsExactly(affine(G.multiply(k)));
        }
        assertThat(P384Ecdsa.multiplyG(BigInteger.ZERO)).as("0 G is infinity").isNull();
        assertThat(P384Ecdsa.multiplyG(N)).as("n G is infinity").isNull();
    }

    @Test
    void sumsOfTwoMultiplesMatchBouncyCastleIncludingEqualAndOppositeAdditions() {
        Random rnd = new Random(2);
        for (int i = 0; i < 30; i++) {
            BigInteger d = scalar(rnd);
            BigInteger u1 = new BigInteger(384, rnd).mod(N);
            BigInteger u2 = new BigInteger(384, rnd).mod(N);
            ECPublicKeyParameters q = publicKey(d);
            assertThat(P384Ecdsa.sumOfTwo(u1, q, u2)).containsExactly(affine(G.multiply(u1).add(q.getQ().multiply(u2))));
        }
        BigInteger u = new BigInteger(384, rnd).mod(N);
        // Q = G: each column adds the same comb point twice, the second time to itself at first
        assertThat(P384Ecdsa.sumOfTwo(u, publicKey(BigInteger.ONE), u)).containsExactly(affine(G.multiply(u.shiftLeft(1))));
        // Q = -G: each addition from Q's comb undoes the one from G's, passing through infinity
        assertThat(P384Ecdsa.sumOfTwo(u, publicKey(N.subtract(BigInteger.ONE)), u)).isNull();
        // u1 G + u2 Q = infinity with Q = d G and u1 = -u2 d
        BigInteger d = scalar(rnd);
        BigInteger u2 = scalar(rnd);
        BigInteger u1 = u2.multiply(d).negate().mod(N);
        assertThat(P384Ecdsa.sumOfTwo(u1, publicKey(d), u2)).isNull();
        assertThat(P384Ecdsa.sumOfTwo(BigInteger.ZERO, publicKey(d), u2)).containsExactly(affine(G.multiply(d.multiply(u2))));
        assertThat(P384Ecdsa.sumOfTwo(u1, publicKey(d), BigInteger.ZERO)).containsExactly(affine(G.multiply(u1)));
    }

    @Test
    void manyKeysOnManyThreadsEachVerifyUnderTheirOwnComb() throws Exception {
        Random rnd = new Random(99);
        int keys = 12;
        ECPublicKeyParameters[] pubs = new ECPublicKeyParameters[keys];
        byte[][] digests = new byte[keys][48];
        BigInteger[][] sigs = new BigInteger[keys][];
        for (int i = 0; i < keys; i++) {
            BigInteger d = scalar(rnd);
            pubs[i] = publicKey(d);
            rnd.nextBytes(digests[i]);
            sigs[i] = bouncyCastleSign(privateKey(d), digests[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int start = t;
                results.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int n = 0; n < 3 * keys; n++) {
                        int i = (start + n) % keys;
                        int j = (i + 1) % keys;
                        if (!P384Ecdsa.verify(pubs[i], digests[i], sigs[i][0], sigs[i][1])) {
                            wrong++;
                        }
                        if (P384Ecdsa.verify(pubs[j], digests[i], sigs[i][0], sigs[i][1])) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
