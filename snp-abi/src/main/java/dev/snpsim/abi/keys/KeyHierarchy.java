package dev.snpsim.abi.keys;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * The simulated AMD key hierarchy, deterministic from one {@code long} seed: the same
 * seed gives the same keys and certificates byte for byte, another seed different ones.
 *
 * <ul>
 *   <li>{@link #roots(Product)}: ARK, ASK, ASVK (RSA-4096, keys from a seeded stream per
 *       product and role). RSA-4096 generation is slow (seconds per key), so each root
 *       is made on first use and kept (a VCEK needs only the ARK and ASK, a VLEK the
 *       ARK and ASVK); share one hierarchy per seed.
 *   <li>{@link #vcek}: P-384 scalar = HKDF-SHA-384 of a per-chip secret (itself HKDF of the
 *       seed and the hwID) and the TCB, so a new TCB gives a new key, as on real chips.
 *   <li>{@link #vlek}: P-384 scalar = HKDF-SHA-384 of the seed, product, CSP id,
 *       generation and TCB.
 * </ul>
 * Thread-safe. Leaf certificates are cached (least recently used, 1024 entries).
 */
public final class KeyHierarchy {
    private static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65537);
    private static final int RSA_BITS = 4096;
    private static final int RSA_CERTAINTY = 112;
    private static final int LEAF_CACHE = 1024;

    private final long seed;
    private final Map<String, Object> roots = new HashMap<>();
    private final Map<String, Object> leaves = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > LEAF_CACHE;
        }
    };

    private record RootKey(X509Certificate certificate, PublicKey publicKey, RSAKeyParameters privateKey) {
    }

    private KeyHierarchy(long seed) {
        this.seed = seed;
    }

    /** A hierarchy for {@code seed}; nothing is generated until first asked for. */
    public static KeyHierarchy create(long seed) {
        return new KeyHierarchy(seed);
    }

    public long seed() {
        return seed;
    }

    /** The product's ARK, ASK and ASVK, generated on first call (seconds each) and memoised. */
    public ProductRoots roots(Product product) {
        return new ProductRoots(product, arkKey(product).certificate(), askKey(product).certificate(),
                asvkKey(product).certificate());
    }

    /** The product's ARK only (one RSA-4096 key generated on first use). */
    public X509Certificate arkCertificate(Product product) {
        return arkKey(product).certificate();
    }

    /** The product's ASK, which signs VCEKs (ARK and ASK generated on first use). */
    public X509Certificate askCertificate(Product product) {
        return askKey(product).certificate();
    }

    /** The product's ASVK, which signs VLEKs (ARK and ASVK generated on first use). */
    public X509Certificate asvkCertificate(Product product) {
        return asvkKey(product).certificate();
    }

    /** The AES-256 key AMD wraps VLEK hashsticks with (see {@link VlekHashstick}). */
    public SecretKey amdWrappingKey() {
        byte[] k = KeyDerivation.hkdf(KeyDerivation.seedIkm(seed), KeyDerivation.info("amd-vlek-wrapping-key"), 32);
        return new SecretKeySpec(k, "AES");
    }

    /**
     * The VCEK of chip {@code chipId} at {@code reportedTcb}. {@code chipId} is the
     * report's 64-byte CHIP_ID; on Turin only its first 8 bytes identify the chip (the
     * rest must be zero) and an 8-byte id is accepted too.
     */
    public Vcek vcek(Product product, byte[] chipId, TcbVersion reportedTcb) {
        byte[] hwId = hwId(product, chipId);
        byte[] fullChipId = Arrays.copyOf(hwId, KdsExtensions.HW_ID_SIZE);
        String cacheKey = "vcek/" + product + "/" + Hex.of(hwId) + "/" + reportedTcb.raw();
        synchronized (leaves) {
            Object hit = leaves.get(cacheKey);
            if (hit != null) {
                return (Vcek) hit;
            }
        }
        BigInteger d = vcekScalar(product, hwId, reportedTcb);
        KdsExtensions ext = new KdsExtensions(0, product.certificateProductName(),
                KdsExtensions.splsOf(product, reportedTcb.raw()), hwId, null);
        X509Certificate cert = leaf(product, AmdNames.ask(product), askKey(product).privateKey(), AmdNames.vcek(), d, ext,
                "vcek-cert/" + Hex.of(hwId) + "/" + reportedTcb.raw());
        Vcek v = new Vcek(product, fullChipId, reportedTcb, P384.privateKey(d), cert);
        synchronized (leaves) {
            leaves.put(cacheKey, v);
        }
        return v;
    }

    /**
     * Only the private key of {@link #vcek}: the same P-384 key, without the certificate and
     * so without the ASK (no RSA-4096 generation). What firmware needs to sign; microseconds.
     */
    public ECPrivateKey vcekPrivateKey(Product product, byte[] chipId, TcbVersion reportedTcb) {
        return P384.privateKey(vcekScalar(product, hwId(product, chipId), reportedTcb));
    }

    private BigInteger vcekScalar(Product product, byte[] hwId, TcbVersion reportedTcb) {
        byte[] chipSecret = KeyDerivation.hkdf(KeyDerivation.seedIkm(seed),
                KeyDerivation.info("chip-secret", KeyDerivation.utf8(product.name()), hwId), 48);
        return KeyDerivation.p384Scalar(chipSecret, KeyDerivation.info("vcek", KeyDerivation.u64(reportedTcb.raw())));
    }

    /** The VLEK AMD issues to cloud provider {@code cspId} (its {@code generation}-th) at {@code tcb}. */
    public Vlek vlek(Product product, String cspId, int generation, TcbVersion tcb) {
        if (cspId == null || cspId.isEmpty() || !cspId.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                || cspId.length() > VlekHashstick.CSP_ID_SIZE) {
            throw AbiException.of("csp id '%s' must be 1..%d printable ascii characters", cspId,
                    VlekHashstick.CSP_ID_SIZE);
        }
        String cacheKey = "vlek/" + product + "/" + cspId + "/" + generation + "/" + tcb.raw();
        synchronized (leaves) {
            Object hit = leaves.get(cacheKey);
            if (hit != null) {
                return (Vlek) hit;
            }
        }
        BigInteger d = KeyDerivation.p384Scalar(KeyDerivation.seedIkm(seed), KeyDerivation.info("vlek",
                KeyDerivation.utf8(product.name()), KeyDerivation.utf8(cspId),
                KeyDerivation.u64(generation), KeyDerivation.u64(tcb.raw())));
        KdsExtensions ext = new KdsExtensions(0, product.certificateProductName(),
                KdsExtensions.splsOf(product, tcb.raw()), null, cspId);
        X509Certificate cert = leaf(product, AmdNames.asvk(product), asvkKey(product).privateKey(), AmdNames.vlek(), d,
                ext, "vlek-cert/" + cspId + "/" + generation + "/" + tcb.raw());
        Vlek v = new Vlek(product, cspId, generation, tcb, P384.privateKey(d), cert);
        synchronized (leaves) {
            leaves.put(cacheKey, v);
        }
        return v;
    }

    private X509Certificate leaf(Product product, X500Name issuer, RSAKeyParameters issuerKey, X500Name subject,
                                 BigInteger d, KdsExtensions ext, String label) {
        return CertificateIssuer.issue(issuer, subject, BigInteger.ZERO, AmdNames.LEAF_NOT_BEFORE,
                AmdNames.LEAF_VALIDITY_YEARS, P384.publicKey(d), issuerKey,
                new SeededSecureRandom(seed, product + "/" + label), b -> ext.addTo(b, product));
    }

    static byte[] hwId(Product product, byte[] chipId) {
        if (chipId == null) {
            throw new AbiException("chip id is missing");
        }
        if (product.hasFmc()) {
            if (chipId.length != KdsExtensions.TURIN_HW_ID_SIZE && chipId.length != KdsExtensions.HW_ID_SIZE) {
                throw AbiException.of("turin chip id is %d bytes (expected: 8 or 64)", chipId.length);
            }
            for (int i = KdsExtensions.TURIN_HW_ID_SIZE; i < chipId.length; i++) {
                if (chipId[i] != 0) {
                    throw AbiException.of("turin chip id byte 0x%x is 0x%02x (expected: zero after 8 bytes)", i,
                            chipId[i]);
                }
            }
            return Arrays.copyOf(chipId, KdsExtensions.TURIN_HW_ID_SIZE);
        }
        if (chipId.length != KdsExtensions.HW_ID_SIZE) {
            throw AbiException.of("chip id is %d bytes (expected: 64)", chipId.length);
        }
        return chipId.clone();
    }

    private RootKey arkKey(Product p) {
        return root(p, "ark", () -> {
            AsymmetricCipherKeyPair pair = rsa(p + "/ark");
            PublicKey pub = jcaPublic(pair);
            RSAKeyParameters priv = (RSAKeyParameters) pair.getPrivate();
            X509Certificate cert = CertificateIssuer.issue(AmdNames.ark(p), AmdNames.ark(p), AmdNames.arkSerial(p),
                    AmdNames.arkNotBefore(p), AmdNames.ROOT_VALIDITY_YEARS, pub, priv,
                    new SeededSecureRandom(seed, p + "/ark-cert"),
                    CertificateIssuer.arkExtensions(pub, AmdNames.vcekCrl(p)));
            return new RootKey(cert, pub, priv);
        });
    }

    private RootKey askKey(Product p) {
        return root(p, "ask", () -> intermediate(p, "ask", AmdNames.ask(p), AmdNames.askSerial(p),
                AmdNames.askNotBefore(p), AmdNames.vcekCrl(p)));
    }

    private RootKey asvkKey(Product p) {
        return root(p, "asvk", () -> intermediate(p, "asvk", AmdNames.asvk(p), AmdNames.asvkSerial(p),
                AmdNames.asvkNotBefore(p), AmdNames.vlekCrl(p)));
    }

    private RootKey intermediate(Product p, String role, X500Name subject, BigInteger serial, java.time.Instant from,
                                 String crl) {
        RootKey ark = arkKey(p);
        AsymmetricCipherKeyPair pair = rsa(p + "/" + role);
        PublicKey pub = jcaPublic(pair);
        X509Certificate cert = CertificateIssuer.issue(AmdNames.ark(p), subject, serial, from,
                AmdNames.ROOT_VALIDITY_YEARS, pub, ark.privateKey(), new SeededSecureRandom(seed, p + "/" + role + "-cert"),
                CertificateIssuer.intermediateExtensions(pub, ark.publicKey(), crl));
        return new RootKey(cert, pub, (RSAKeyParameters) pair.getPrivate());
    }

    /** Memoised per product and role; generation runs outside the lock of other roles. */
    private RootKey root(Product p, String role, java.util.function.Supplier<RootKey> make) {
        String key = p + "/" + role;
        Object lock;
        synchronized (roots) {
            lock = roots.computeIfAbsent(key, k -> new Object[1]);
        }
        synchronized (lock) {
            Object[] slot = (Object[]) lock;
            if (slot[0] == null) {
                slot[0] = make.get();
            }
            return (RootKey) slot[0];
        }
    }

    private AsymmetricCipherKeyPair rsa(String label) {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(RSA_EXPONENT, new SeededSecureRandom(seed, label), RSA_BITS,
                RSA_CERTAINTY));
        return g.generateKeyPair();
    }

    private static PublicKey jcaPublic(AsymmetricCipherKeyPair pair) {
        RSAKeyParameters pub = (RSAKeyParameters) pair.getPublic();
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(pub.getModulus(),
                    pub.getExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jdk cannot build an rsa public key", e);
        }
    }

    @Override
    public String toString() {
        return "KeyHierarchy[seed=" + seed + "]";
    }
}
