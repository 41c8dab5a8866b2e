package dev.snpsim.host.kvm;

import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small real DER certificates (P-256, self-signed) for VMM tests that need a blob, not a chain. */
final class SmallCerts {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private SmallCerts() {
    }

    static byte[] cert(String cn) {
        return CACHE.computeIfAbsent(cn, SmallCerts::make).clone();
    }

    private static byte[] make(String cn) {
        try {
            SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
            rnd.setSeed(cn.hashCode());
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), rnd);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            return new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(1_700_000_000_000L),
                    new Date(1_900_000_000_000L), name, kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ARK, ASK slot, VLEK named by {@code generation}: a few hundred bytes, one page. */
    static CertTable table(int generation) {
        return CertTable.of(new CertEntry(CertGuid.ARK, cert("ARK")), new CertEntry(CertGuid.ASK, cert("ASVK")),
                new CertEntry(CertGuid.VLEK, cert("VLEK-" + generation)));
    }
}
