package dev.snpsim.abi.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.junit.jupiter.api.Test;

class KdsExtensionsTest {
    /** A small throwaway issuer key: these tests look at extensions, not at signatures. */
    private static final RSAKeyParameters ISSUER = smallRsa();

    @Property
    void splsRoundTripEveryTcbBitForEveryProduct(@ForAll long raw) {
        for (Product p : Product.values()) {
            KdsExtensions ext = new KdsExtensions(0, p.certificateProductName(), KdsExtensions.splsOf(p, raw), null,
                    "x");
            assertThat(ext.tcbRaw(p)).isEqualTo(raw);
        }
    }

    @Test
    void writtenExtensionsReadBack() {
        Map<Integer, Integer> spls = KdsExtensions.splsOf(Product.TURIN, 0x4e00000001000201L);
        KdsExtensions ext = new KdsExtensions(0, "Turin", spls, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, null);
        X509Certificate cert = issue(b -> ext.addTo(b, Product.TURIN));
        assertThat(KdsExtensions.read(cert)).isEqualTo(ext);
    }

    @Test
    void productNameThatIsNotAnIa5StringIsRejected() {
        X509Certificate cert = issue(b -> add(b, () -> {
            b.addExtension(KdsExtensions.STRUCT_VERSION, false, new ASN1Integer(0));
            b.addExtension(KdsExtensions.PRODUCT_NAME, false, new DERUTF8String("Milan-B0"));
        }));
        assertThatThrownBy(() -> KdsExtensions.read(cert)).isInstanceOf(AbiException.class)
                .hasMessage("extension 1.3.6.1.4.1.3704.1.2 is not an ia5string");
    }

    @Test
    void splOutOfByteRangeIsRejected() {
        X509Certificate cert = issue(b -> add(b, () -> {
            b.addExtension(KdsExtensions.STRUCT_VERSION, false, new ASN1Integer(0));
            b.addExtension(KdsExtensions.PRODUCT_NAME, false, new org.bouncycastle.asn1.DERIA5String("Genoa"));
            b.addExtension(KdsExtensions.splOid(3), false, new ASN1Integer(256));
        }));
        assertThatThrownBy(() -> KdsExtensions.read(cert)).isInstanceOf(AbiException.class)
                .hasMessage("extension 1.3.6.1.4.1.3704.1.3.3 (snpSPL) is 256 (expected: 0..255)");
    }

    @Test
    void missingNamedSplIsRejectedWhenComposingTheTcb() {
        KdsExtensions ext = new KdsExtensions(0, "Milan-B0", Map.of(1, 3, 2, 0, 8, 0x73), null, null);
        assertThatThrownBy(() -> ext.tcbRaw(Product.MILAN)).isInstanceOf(AbiException.class)
                .hasMessage("certificate lacks extension 1.3.6.1.4.1.3704.1.3.3 (snpSPL) required for milan");
    }

    private interface Adder {
        void run() throws CertIOException;
    }

    private static void add(X509v3CertificateBuilder b, Adder a) {
        try {
            a.run();
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate issue(Consumer<X509v3CertificateBuilder> extensions) {
        return CertificateIssuer.issue(AmdNames.ask(Product.MILAN), AmdNames.vcek(), BigInteger.ZERO,
                AmdNames.LEAF_NOT_BEFORE, 1, P384.publicKey(BigInteger.TEN), ISSUER,
                new SeededSecureRandom(1, "test"), extensions);
    }

    private static RSAKeyParameters smallRsa() {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), new SeededSecureRandom(1, "small"), 1024, 80));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        return (RSAKeyParameters) pair.getPrivate();
    }
}
