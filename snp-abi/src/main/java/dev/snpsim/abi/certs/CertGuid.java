package dev.snpsim.abi.certs;

import dev.snpsim.abi.AbiException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;

/**
 * The GUIDs that name certificates in a certificate table (GHCB spec, "Certificate
 * Table"). On the wire a GUID is 16 bytes in RFC 4122 order, the order it is printed in.
 */
public final class CertGuid {
    /** AMD root key. */
    public static final UUID ARK = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
    /** AMD SEV signing key; snphost also stores the ASVK (the VLEK's issuer) under it. */
    public static final UUID ASK = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
    /** Versioned chip endorsement key. */
    public static final UUID VCEK = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
    /** Versioned loaded endorsement key. */
    public static final UUID VLEK = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
    /** Certificate revocation list. */
    public static final UUID CRL = UUID.fromString("92f81bc3-5811-4d3d-97ff-d19f88dc67ea");

    /** The all-zero GUID; it marks the end of a table and names no certificate. */
    public static final UUID NIL = new UUID(0, 0);

    /** Size of a GUID on the wire. */
    public static final int SIZE = 16;

    private static final Map<UUID, String> NAMES = Map.of(ARK, "ARK", ASK, "ASK", VCEK, "VCEK", VLEK, "VLEK", CRL, "CRL");

    private CertGuid() {
    }

    /** "ARK", "ASK", "VCEK", "VLEK", "CRL", or the GUID itself for others. */
    public static String nameOf(UUID guid) {
        return NAMES.getOrDefault(guid, guid.toString());
    }

    /** The 16 wire bytes, RFC 4122 order. */
    public static byte[] toBytes(UUID guid) {
        return ByteBuffer.allocate(SIZE).putLong(guid.getMostSignificantBits())
                .putLong(guid.getLeastSignificantBits()).array();
    }

    /** Reads 16 wire bytes at {@code off}. */
    public static UUID fromBytes(byte[] b, int off) {
        if (off < 0 || off > b.length - SIZE) {
            throw AbiException.of("guid at 0x%x runs past the end of a %d-byte buffer", off, b.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(b, off, SIZE);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
