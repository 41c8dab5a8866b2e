package dev.snpsim.host.nativekvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/**
 * Builds certificate tables as the host writes them into the guest's buffer (SPEC.md section 8):
 * 24-byte entries {GUID[16] in printed byte order, offset u32, length u32}, an all-zero
 * terminator, then the certificates at their offsets.
 */
final class CertTableFixture {
    static final String ARK = "c0b406a4-a803-4952-9743-3fb6014cd0ae";
    static final String ASK = "4ab7b379-bbac-4fe4-a02f-05aef327c782";
    static final String VCEK = "63da758d-e664-4564-adc5-f4b93be8accd";

    /** One table entry with its own payload. */
    record Cert(String guid, byte[] der) {
    }

    private CertTableFixture() {
    }

    /** ARK, ASK and VCEK stand-ins of the given sizes, with seeded pseudo-random contents. */
    static List<Cert> chain(long seed, int arkSize, int askSize, int vcekSize) {
        Random random = new Random(seed);
        return List.of(new Cert(ARK, bytes(random, arkSize)), new Cert(ASK, bytes(random, askSize)),
                new Cert(VCEK, bytes(random, vcekSize)));
    }

    /** The table and the certificates packed after it. */
    static byte[] table(List<Cert> certs) {
        int header = 24 * (certs.size() + 1);
        int total = header + certs.stream().mapToInt(c -> c.der().length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        int offset = header;
        for (Cert c : certs) {
            b.put(guid(c.guid())).putInt(offset).putInt(c.der().length);
            offset += c.der().length;
        }
        b.put(new byte[24]);
        for (Cert c : certs) {
            b.put(c.der());
        }
        return b.array();
    }

    /** One entry whose offset + length runs past {@code bufferBytes}, and the terminator. */
    static byte[] entryPastBuffer(int bufferBytes) {
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        b.put(guid(VCEK)).putInt(48).putInt(bufferBytes); // 48 + bufferBytes > bufferBytes
        b.put(new byte[24]);
        return b.array();
    }

    static byte[] guid(String text) {
        String hex = text.replace("-", "");
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        b[0] = 0x30; // a DER SEQUENCE tag, as a certificate starts
        return b;
    }
}
