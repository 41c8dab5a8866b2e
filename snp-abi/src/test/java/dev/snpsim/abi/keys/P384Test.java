package dev.snpsim.abi.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.junit.jupiter.api.Test;

/** The curve check: the JDK's secp384r1 object by identity, any other parameter object by value; other curves rejected. */
class P384Test {

    private static ECParameterSpec copyOf(ECParameterSpec p) {
        return new ECParameterSpec(p.getCurve(), p.getGenerator(), p.getOrder(), p.getCofactor());
    }

    @Test
    void parametersEqualToP384InAnotherObjectAreP384() throws Exception {
        ECPrivateKey key = P384.privateKey(BigInteger.valueOf(4242));
        ECParameterSpec foreign = copyOf(key.getParams());
        assertThat(foreign).isNotSameAs(key.getParams());
        for (int i = 0; i < 3; i++) {
            assertThat(P384.isP384(key.getParams())).isTrue();
            assertThat(P384.isP384(foreign)).isTrue();
        }
        ECPrivateKey foreignKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(BigInteger.valueOf(4242), foreign));
        assertThat(P384.toParameters(foreignKey).getD()).isEqualTo(BigInteger.valueOf(4242));
        assertThat(P384.toParameters(foreignKey).getD()).isEqualTo(BigInteger.valueOf(4242));
        ECPublicKey pub = P384.publicKey(BigInteger.valueOf(4242));
        ECPublicKey foreignPub = (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(pub.getW(), copyOf(pub.getParams())));
        assertThat(P384.toParameters(foreignPub).getQ()).isEqualTo(P384.toParameters(pub).getQ());
    }

    @Test
    void otherCurvesAreRejectedEveryTime() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = g.generateKeyPair();
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        for (int i = 0; i < 3; i++) {
            assertThat(P384.isP384(priv.getParams())).isFalse();
            assertThatThrownBy(() -> P384.toParameters(priv)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not on curve p-384");
            assertThatThrownBy(() -> P384.toParameters(pub)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not on curve p-384");
        }
        assertThat(P384.isP384(null)).isFalse();
    }

    @Test
    void everyEqualParameterObjectIsAccepted() {
        ECParameterSpec base = P384.privateKey(BigInteger.TEN).getParams();
        for (int i = 0; i < 40; i++) {
            ECParameterSpec p = copyOf(base);
            assertThat(P384.isP384(p)).isTrue();
        }
    }
}
