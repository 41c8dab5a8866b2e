package dev.snpsim.abi.msg;

import static dev.snpsim.abi.msg.MsgLayout.AUTHTAG_SIZE;
import static dev.snpsim.abi.msg.MsgLayout.HEADER_SIZE;
import static dev.snpsim.abi.msg.MsgLayout.PAGE_SIZE;

import dev.snpsim.abi.AbiException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens guest message pages with AES-256-GCM (SNP ABI spec, "Guest Messages";
 * Linux {@code enc_payload}/{@code verify_and_dec_payload}): key = VMPCK (32 bytes),
 * IV = MSG_SEQNO as 12 bytes little-endian, AAD = header bytes 0x30..0x5F, 16-byte tag
 * in header bytes 0x00..0x0F, ciphertext at 0x60.
 *
 * <p>Sequence numbers are non-zero and below 2^32: the guest keeps the counter in 32 bits
 * of the secrets page, and Linux refuses to send once {@code count + 1 >= UINT_MAX}
 * ({@link #MAX_REQUEST_SEQNO}); the firmware's answer carries request + 1.
 */
public final class GuestMessages {
    /** Largest sequence number a message may carry (the counter is 32 bits). */
    public static final long MAX_SEQNO = 0xFFFF_FFFFL;
    /** Largest sequence number Linux puts on a request (it refuses {@code >= UINT_MAX}). */
    public static final long MAX_REQUEST_SEQNO = 0xFFFF_FFFEL;
    /** VMPCK size. */
    public static final int KEY_SIZE = 32;
    /** A message page. */
    public static final int PAGE = PAGE_SIZE;

    private static final int IV_SIZE = 12;
    /** Each thread's ciphers, by key (see {@link #cipher}). */
    private static final ThreadLocal<Ciphers> CIPHERS = ThreadLocal.withInitial(Ciphers::new);

    private GuestMessages() {
    }

    /** A decrypted message: its header (tag included) and its plaintext payload. */
    public record Opened(GuestMessageHeader header, byte[] payload) {
        public Opened {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opened x && header.equals(x.header) && Arrays.equals(payload, x.payload);
        }

        @Override
        public int hashCode() {
            return 31 * header.hashCode() + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Opened[" + header + ", " + payload.length + " bytes]";
        }
    }

    /**
     * Encrypts {@code payload} under {@code vmpck} into a 4096-byte page. MSG_SIZE is set
     * to the payload's length and the tag computed here; the header's tag is ignored.
     */
    public static byte[] seal(byte[] vmpck, GuestMessageHeader header, byte[] payload) {
        checkKey(vmpck);
        checkSeqno(header.seqno(), "seal");
        if (payload == null || payload.length > GuestMessageHeader.MAX_MSG_SIZE) {
            throw AbiException.of("payload is %s bytes (expected: at most 0x%x)",
                    payload == null ? "missing" : String.valueOf(payload.length), GuestMessageHeader.MAX_MSG_SIZE);
        }
        GuestMessageHeader h = header.withAuthTag(new byte[AUTHTAG_SIZE]).withMsgSize(payload.length);
        byte[] out;
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, vmpck, h.seqno());
            c.updateAAD(h.aad());
            out = c.doFinal(payload); // ciphertext || tag
        } catch (GeneralSecurityException e) {
            throw new AbiException("aes-256-gcm seal failed: " + e.getMessage(), e);
        }
        byte[] tag = Arrays.copyOfRange(out, payload.length, out.length);
        byte[] page = new byte[PAGE_SIZE];
        System.arraycopy(h.withAuthTag(tag).encode(), 0, page, 0, HEADER_SIZE);
        System.arraycopy(out, 0, page, HEADER_SIZE, payload.length);
        return page;
    }

    /**
     * Checks and decrypts a page. Fails, naming what failed, on: a page that is not 4096
     * bytes, a malformed header, a sequence number of zero, at least 2^32, or other than
     * {@code expectedSeqno}, and a tag that does not authenticate ("authentication tag
     * mismatch": a wrong key and a tampered page look the same).
     */
    public static Opened open(byte[] vmpck, byte[] page, long expectedSeqno) {
        checkKey(vmpck);
        if (page == null || page.length != PAGE_SIZE) {
            throw AbiException.of("guest message page is %s bytes (expected: 0x1000)",
                    page == null ? "missing" : String.valueOf(page.length));
        }
        GuestMessageHeader h = GuestMessageHeader.decode(page);
        checkSeqno(h.seqno(), "open");
        if (h.seqno() != expectedSeqno) {
            throw AbiException.of("msg_seqno at 0x20 is %d (expected: %d)", h.seqno(), expectedSeqno);
        }
        byte[] in = new byte[h.msgSize() + AUTHTAG_SIZE];
        System.arraycopy(page, HEADER_SIZE, in, 0, h.msgSize());
        System.arraycopy(h.authTag(), 0, in, h.msgSize(), AUTHTAG_SIZE);
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, vmpck, h.seqno());
            c.updateAAD(h.aad());
            return new Opened(h, c.doFinal(in));
        } catch (AEADBadTagException e) {
            throw new AbiException("authentication tag mismatch (wrong vmpck or tampered message, seqno "
                    + h.seqno() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new AbiException("aes-256-gcm open failed: " + e.getMessage(), e);
        }
    }

    /** The 12-byte IV for a sequence number: the u64 little-endian, zero-padded. */
    static byte[] iv(long seqno) {
        byte[] iv = new byte[IV_SIZE];
        for (int i = 0; i < 8; i++) {
            iv[i] = (byte) (seqno >>> (8 * i));
        }
        return iv;
    }

    /**
     * A cipher for one message, initialised for {@code mode}. Each thread keeps an instance per
     * key it used recently: looking one up through the providers cost more than sealing a report,
     * and so did expanding the AES key (1.5 µs), while a host serves each guest's VMPCK again and
     * again, and a request uses it four times in a row (sealed, opened, answer sealed, opened).
     */
    private static Cipher cipher(int mode, byte[] key, long seqno) throws GeneralSecurityException {
        Ciphers ciphers = CIPHERS.get();
        Cipher c = ciphers.of(key);
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        GCMParameterSpec p = new GCMParameterSpec(8 * AUTHTAG_SIZE, iv(seqno));
        try {
            c.init(mode, k, p);
        } catch (InvalidAlgorithmParameterException e) {
            // the JDK refuses to encrypt twice in a row under one key and IV with one instance;
            // a message sealed again (a hostile or replaying caller) gets a fresh instance, as before
            c = newCipher();
            c.init(mode, k, p);
            ciphers.replace(key, c);
        }
        return c;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding: " + e.getMessage(), e);
        }
    }

    /**
     * One thread's ciphers: an instance for each of the last {@value #CAPACITY} keys it used
     * (the JDK keeps the key's expanded schedule in the instance, about 1 KB, and expands a key
     * only when it changes). When a host serves more guests than that, the key used longest ago
     * gives its instance up. The entries keep copies of recent VMPCKs after a guest has wiped its
     * own: these are a simulator's keys, not secrets this process protects.
     */
    static final class Ciphers {
        static final int CAPACITY = 4096;

        /** Keyed by the key's bytes; in access order, so the eldest is the one used longest ago. */
        private final LinkedHashMap<KeyBytes, Cipher> entries = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<KeyBytes, Cipher> eldest) {
                return size() > CAPACITY;
            }
        };

        /** The instance of {@code key}, made (kept under a copy of the key) if there is none. */
        Cipher of(byte[] key) {
            Cipher c = entries.get(new KeyBytes(key));
            if (c == null) {
                c = newCipher();
                entries.put(new KeyBytes(key.clone()), c);
            }
            return c;
        }

        /** Gives {@code key}, which {@link #of} has seen, a new instance (the map keeps its own copy of the key). */
        void replace(byte[] key, Cipher c) {
            entries.put(new KeyBytes(key), c);
        }

        int size() {
            return entries.size();
        }
    }

    /** Key bytes as a map key (compared by content; the array must not change while it is one). */
    private record KeyBytes(byte[] bytes, int hash) {
        KeyBytes(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && hash == k.hash && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** This thread's cipher cache (for tests). */
    static Ciphers threadCiphers() {
        return CIPHERS.get();
    }

    private static void checkKey(byte[] vmpck) {
        if (vmpck == null || vmpck.length != KEY_SIZE) {
            throw AbiException.of("vmpck is %s bytes (expected: 32)", vmpck == null ? "missing" : String.valueOf(vmpck.length));
        }
    }

    private static void checkSeqno(long seqno, String op) {
        if (seqno == 0) {
            throw AbiException.of("msg_seqno is 0 (%s; sequence numbers start at 1)", op);
        }
        if (Long.compareUnsigned(seqno, MAX_SEQNO) > 0) {
            throw AbiException.of("msg_seqno 0x%x does not fit 32 bits (%s)", seqno, op);
        }
    }
}
