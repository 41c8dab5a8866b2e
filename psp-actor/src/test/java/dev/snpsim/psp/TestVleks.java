package dev.snpsim.psp;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.keys.VlekHashstick;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;

/**
 * VLEK hashsticks for tests without the ASVK certificate (whose RSA-4096 key takes seconds):
 * the firmware needs only the wrapped private key.
 */
public final class TestVleks {
    private TestVleks() {
    }

    /** A VLEK of generation {@code gen} whose scalar is derived from {@code gen} (no certificate). */
    public static Vlek vlek(Product p, int gen, TcbVersion tcb) {
        BigInteger d = BigInteger.valueOf(0x5eed_0000L + gen).pow(5).mod(P384.order().subtract(BigInteger.ONE))
                .add(BigInteger.ONE);
        return new Vlek(p, "test-csp", gen, tcb, P384.privateKey(d), null);
    }

    public static byte[] hashstick(KeyHierarchy keys, Vlek v) {
        return VlekHashstick.wrap(keys.amdWrappingKey(), v);
    }

    public static ECPublicKey publicKey(Vlek v) {
        return P384.publicKey(v.privateKey().getS());
    }
}
