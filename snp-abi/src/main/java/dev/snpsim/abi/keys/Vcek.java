package dev.snpsim.abi.keys;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * A versioned chip endorsement key: the P-384 key firmware derives from the chip secret
 * and a TCB, and its certificate issued by the product's ASK.
 *
 * @param chipId      the 64-byte CHIP_ID (on Turin only the first 8 bytes are the hwID)
 * @param tcb         the TCB the key is derived for (REPORTED_TCB of reports it signs)
 * @param privateKey  the signing key
 * @param certificate subject SEV-VCEK, issuer SEV-{product}, with the KDS extensions
 */
public record Vcek(Product product, byte[] chipId, TcbVersion tcb, ECPrivateKey privateKey,
                   X509Certificate certificate) {
    public Vcek {
        chipId = chipId.clone();
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }

    public ECPublicKey publicKey() {
        return (ECPublicKey) certificate.getPublicKey();
    }
}
