package dev.snpsim.host.certstore;

import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small real DER certificates for blob tests (EC P-256, self-signed, seeded). */
final class TestCerts {
    private TestCerts() {
    }

    private static final java.util.Map<String, byte[]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Same (cn, seed), same bytes within a test run (ECDSA signing itself is randomized). */
    static byte[] selfSigned(String cn, long seed) {
        return CACHE.computeIfAbsent(cn + "/" + seed, k -> generate(cn, seed)).clone();
    }

    private static byte[] generate(String cn, long seed) {
        try {
            SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
            rnd.setSeed(seed);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), rnd);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            Date from = new Date(1_700_000_000_000L);
            Date to = new Date(1_900_000_000_000L);
            return new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(seed + 1), from, to, name, kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small signed X.509 CRL (DER), as AMD's service publishes beside the ARK. */
    static byte[] crl(long seed) {
        return CACHE.computeIfAbsent("crl/" + seed, k -> {
            try {
                SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
                rnd.setSeed(seed);
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), rnd);
                KeyPair kp = g.generateKeyPair();
                return new org.bouncycastle.cert.X509v2CRLBuilder(new X500Name("CN=ARK"),
                        new Date(1_700_000_000_000L))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()))
                        .getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).clone();
    }

    /** A VLEK-style table: ARK, ASK (the ASVK's slot) and VLEK, named after {@code generation}. */
    static CertTable vlekTable(int generation) {
        return CertTable.of(
                new CertEntry(CertGuid.ARK, selfSigned("ARK", 1)),
                new CertEntry(CertGuid.ASK, selfSigned("ASVK", 2)),
                new CertEntry(CertGuid.VLEK, selfSigned("VLEK-" + generation, 100 + generation)));
    }
}
