package dev.snpsim.host.kds;

import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import java.util.Locale;

/**
 * What the KDS rate limit counts by: one VCEK is one (product, chip id, TCB), the path
 * {@code /vcek/v1/{product}/{hwid}?blSPL=..} of AMD's service.
 *
 * @param product   the processor generation
 * @param chipIdHex the chip id as lowercase hex (64 bytes; Turin uses the first 8)
 * @param tcb       the TCB_VERSION the certificate is for, as an unsigned 64-bit value
 */
public record KdsKey(Product product, String chipIdHex, long tcb) {
    public KdsKey {
        if (product == null) {
            throw new IllegalArgumentException("product is missing");
        }
        if (chipIdHex == null || chipIdHex.isEmpty()) {
            throw new IllegalArgumentException("chip id is missing");
        }
        chipIdHex = chipIdHex.toLowerCase(Locale.ROOT);
    }

    public static KdsKey of(Product product, byte[] chipId, long tcb) {
        if (chipId == null) {
            throw new IllegalArgumentException("chip id is missing");
        }
        return new KdsKey(product, Hex.of(chipId), tcb);
    }

    @Override
    public String toString() {
        return product.displayName() + "/" + chipIdHex + "/tcb=0x" + Long.toHexString(tcb);
    }
}
