package dev.snpsim.abi.keys;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA-384 derivations of secrets and P-384 scalars from the hierarchy seed. */
final class KeyDerivation {
    private static final byte[] SALT = "snpsim-key-hierarchy-v1".getBytes(StandardCharsets.US_ASCII);

    private KeyDerivation() {
    }

    /** {@code length} bytes of HKDF-SHA-384(ikm, info), with the hierarchy's fixed salt. */
    static byte[] hkdf(byte[] ikm, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA384Digest());
        g.init(new HKDFParameters(ikm, SALT, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }

    /** The seed as input keying material. */
    static byte[] seedIkm(long seed) {
        return ByteBuffer.allocate(8).putLong(seed).array();
    }

    /**
     * A P-384 private scalar in [1, n): 56 bytes of HKDF output (64 bits more than n, so
     * the bias of the reduction is negligible) reduced mod n-1, plus one.
     */
    static BigInteger p384Scalar(byte[] ikm, byte[] info) {
        BigInteger wide = new BigInteger(1, hkdf(ikm, info, 56));
        return wide.mod(P384.order().subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    /** Concatenates labelled parts unambiguously: each part is length-prefixed. */
    static byte[] info(String label, byte[]... parts) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        int n = 4 + l.length;
        for (byte[] p : parts) {
            n += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n).putInt(l.length).put(l);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
