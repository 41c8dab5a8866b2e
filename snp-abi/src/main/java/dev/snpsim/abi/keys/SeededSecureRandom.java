package dev.snpsim.abi.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * A reproducible {@link SecureRandom}: the SHAKE256 output stream of
 * {@code "snpsim-drbg" || seed || label}. Used wherever key generation or RSA-PSS salts
 * need randomness, so that one hierarchy seed fixes every key and certificate byte.
 * Not for production secrets: anyone who knows the seed knows the stream.
 */
final class SeededSecureRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private static final byte[] DOMAIN = "snpsim-drbg".getBytes(StandardCharsets.US_ASCII);

    private final transient SHAKEDigest xof = new SHAKEDigest(256);

    SeededSecureRandom(long seed, String label) {
        super(null, null);
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        xof.update(DOMAIN, 0, DOMAIN.length);
        xof.update(ByteBuffer.allocate(12).putLong(seed).putInt(l.length).array(), 0, 12);
        xof.update(l, 0, l.length);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        if (bytes.length > 0) {
            xof.doOutput(bytes, 0, bytes.length);
        }
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        byte[] b = new byte[numBytes];
        nextBytes(b);
        return b;
    }

    /** Ignored: the stream is fixed by the seed and label (the JDK constructor calls this). */
    @Override
    public void setSeed(long seed) {
        // deliberately a no-op
    }

    /** Ignored, like {@link #setSeed(long)}, so that no caller can perturb the stream. */
    @Override
    public void setSeed(byte[] seed) {
        // deliberately a no-op
    }

    @Override
    public String getAlgorithm() {
        return "SHAKE256-seeded";
    }

    @Override
    public String toString() {
        return "SeededSecureRandom";
    }
}
