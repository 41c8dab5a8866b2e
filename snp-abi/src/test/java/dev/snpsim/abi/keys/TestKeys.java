package dev.snpsim.abi.keys;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snpsim.abi.Product;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Shared by the key, signing and verification tests: one hierarchy per test JVM (RSA-4096
 * root generation takes seconds, so every test uses these instances) and the real AMD
 * files from {@code ../shared/testdata/real-amd}.
 */
public final class TestKeys {
    /** The hierarchy every test shares. */
    public static final KeyHierarchy HIERARCHY = KeyHierarchy.create(20_261_123L);

    private TestKeys() {
    }

    /** A 64-byte chip id, distinct per {@code n}; on Turin only 8 bytes are non-zero. */
    public static byte[] chipId(Product product, int n) {
        byte[] id = new byte[64];
        int len = product.hasFmc() ? 8 : 64;
        for (int i = 0; i < len; i++) {
            id[i] = (byte) (0x11 * (n + 1) + 7 * i);
        }
        return id;
    }

    /** The directory of real AMD artefacts; skips the test (with the reason) when absent. */
    public static Path realAmdDir() {
        String prop = System.getProperty("snpsim.testdata");
        Path dir = prop != null ? Path.of(prop) : Path.of("..", "shared", "testdata");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..", "..", "shared", "testdata");
        }
        Path real = dir.resolve("real-amd");
        assumeTrue(Files.isDirectory(real), "real AMD test data " + real.toAbsolutePath()
                + " is absent (it lives in ../shared/testdata beside the repository)");
        return real;
    }

    /** The bytes of a real AMD file; skips the test when absent. */
    public static byte[] realAmd(String name) {
        Path file = realAmdDir().resolve(name);
        assumeTrue(Files.isReadable(file), "real AMD file " + file.toAbsolutePath() + " is absent");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real AMD certificate, PEM or DER. */
    public static X509Certificate realCert(String name) {
        return CertificateFiles.read(realAmd(name));
    }

    /** A copy of {@code b} with byte {@code i} flipped. */
    public static byte[] flip(byte[] b, int i) {
        byte[] c = Arrays.copyOf(b, b.length);
        c[i] ^= 0x01;
        return c;
    }
}
