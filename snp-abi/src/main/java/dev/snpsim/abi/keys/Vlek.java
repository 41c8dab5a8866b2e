package dev.snpsim.abi.keys;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * A versioned loaded endorsement key: a P-384 key AMD provisions for one cloud provider
 * and TCB (the host loads it wrapped, see {@link VlekHashstick}), and its certificate
 * issued by the product's ASVK.
 *
 * @param cspId       the cloud provider, carried in extension 1.3.6.1.4.1.3704.1.5
 * @param generation  which of the provider's successive keys (a rotation bumps it)
 * @param tcb         the TCB the key is issued for
 * @param certificate subject SEV-VLEK, issuer SEV-VLEK-{product}
 */
public record Vlek(Product product, String cspId, int generation, TcbVersion tcb, ECPrivateKey privateKey,
                   X509Certificate certificate) {
    public ECPublicKey publicKey() {
        return (ECPublicKey) certificate.getPublicKey();
    }
}
