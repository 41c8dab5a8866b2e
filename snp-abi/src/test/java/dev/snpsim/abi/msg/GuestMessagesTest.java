package dev.snpsim.abi.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuestMessagesTest {
    static final byte[] KEY = key(0x40);
    static final byte[] OTHER_KEY = key(0x41);

    static byte[] key(int start) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (start + i);
        }
        return k;
    }

    static byte[] payload() {
        return new ReportRequest(Arrays.copyOf("nonce".getBytes(), 64), 0, ReportRequest.KEY_SEL_DEFAULT).encode();
    }

    static byte[] sealed(long seqno) {
        return GuestMessages.seal(KEY, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seqno, 0), payload());
    }

    @Test
    void sealThenOpenGivesThePayloadBack() {
        GuestMessages.Opened o = GuestMessages.open(KEY, sealed(7), 7);
        assertThat(o.payload()).isEqualTo(payload());
        assertThat(o.header().msgType()).isEqualTo(MessageType.REPORT_REQ);
        assertThat(o.header().msgSize()).isEqualTo(0x60);
        assertThat(ReportRequest.decode(o.payload()).reportData()).startsWith("nonce".getBytes());
    }

    @Test
    void sealingOneMessageTwiceGivesTheSamePageAndAFailedOpenLeavesNoTrace() {
        // each thread reuses one cipher; the JDK refuses to encrypt twice under one key and IV
        // with one instance, and a failed tag check must not poison the next message
        byte[] first = sealed(9);
        assertThat(sealed(9)).isEqualTo(first);
        byte[] tampered = first.clone();
        tampered[0x60] ^= 1;
        assertThatThrownBy(() -> GuestMessages.open(KEY, tampered, 9)).hasMessageContaining("authentication tag mismatch");
        assertThat(GuestMessages.open(KEY, first, 9).payload()).isEqualTo(payload());
        assertThat(GuestMessages.open(KEY, sealed(10), 10).payload()).isEqualTo(payload());
    }

    @Test
    void threadsSealAndOpenAtOnceWithoutMixingKeys() throws Exception {
        int threads = 4;
        java.util.List<Thread> ts = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            byte[] key = key(0x10 * t);
            Thread th = new Thread(() -> {
                try {
                    for (long seq = 1; seq <= 2000; seq++) {
                        byte[] page = GuestMessages.seal(key, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seq, 0),
                                payload());
                        assertThat(GuestMessages.open(key, page, seq).payload()).isEqualTo(payload());
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void pageLayoutMatchesTheSpec() {
        byte[] page = sealed(0x0102_0304L);
        assertThat(page).hasSize(4096);
        assertThat(LeBytes.u64(page, 0x20)).isEqualTo(0x0102_0304L); // MSG_SEQNO
        assertThat(page[0x30]).isEqualTo((byte) 1);                  // ALGO aes-256-gcm
        assertThat(page[0x31]).isEqualTo((byte) 1);                  // HDR_VERSION
        assertThat(LeBytes.u16(page, 0x32)).isEqualTo(0x60);         // HDR_SIZE
        assertThat(page[0x34]).isEqualTo((byte) 5);                  // MSG_TYPE report req
        assertThat(page[0x35]).isEqualTo((byte) 1);                  // MSG_VERSION
        assertThat(LeBytes.u16(page, 0x36)).isEqualTo(0x60);         // MSG_SIZE
        assertThat(page[0x3c]).isZero();                             // MSG_VMPCK
        assertThat(LeBytes.isZero(page, 0x10, 0x20)).isTrue();       // tag uses 16 of 32 bytes
        assertThat(LeBytes.isZero(page, 0x60 + 0x60, 4096)).isTrue(); // nothing after the ciphertext
        assertThat(Arrays.copyOfRange(page, 0x60, 0xc0)).isNotEqualTo(payload()); // encrypted
    }

    /** An independent AES-GCM (Bouncy Castle's, not the JDK's) decrypts what seal wrote. */
    @Test
    void independentGcmAgreesOnIvAadAndTag() throws Exception {
        long seqno = 0x1_0203L;
        byte[] page = sealed(seqno);
        byte[] iv = new byte[12]; // seqno little-endian, zero-padded
        iv[0] = 0x03;
        iv[1] = 0x02;
        iv[2] = 0x01;
        assertThat(LeBytes.u16(page, 0x36)).isEqualTo(0x60);
        assertThat(bouncyCastleOpen(KEY, page, iv)).isEqualTo(payload());
    }

    /**
     * Each thread keeps ciphers for a few recent keys; many guests' keys interleaved (more than it
     * keeps, reused out of order, a key changed by one byte) must each seal as an independent
     * AES-GCM would, and open only under their own key.
     */
    @Test
    void manyKeysInterleavedSealAndOpenEachUnderItsOwnKey() throws Exception {
        int guests = 21;
        byte[][] keys = new byte[guests + 1][];
        for (int g = 0; g < guests; g++) {
            keys[g] = key(g * 3);
        }
        keys[guests] = keys[0].clone();
        keys[guests][31] ^= 1;   // differs from key 0 only in its last byte
        java.util.Random order = new java.util.Random(5);
        for (int i = 0; i < 400; i++) {
            int g = order.nextInt(keys.length);
            int other = (g + 1 + order.nextInt(keys.length - 1)) % keys.length;
            long seqno = 1 + order.nextInt(1000);
            byte[] page = GuestMessages.seal(keys[g], GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seqno, 0), payload());
            assertThat(bouncyCastleOpen(keys[g], page, iv(seqno))).as("message %d under key %d", i, g).isEqualTo(payload());
            assertThatThrownBy(() -> GuestMessages.open(keys[other], page, seqno))
                    .as("message %d (key %d) opened under key %d", i, g, other)
                    .hasMessageContaining("authentication tag mismatch");
            assertThat(GuestMessages.open(keys[g], page, seqno).payload()).isEqualTo(payload());
        }
    }

    /**
     * More keys than a thread keeps ciphers for: the cache stays bounded, and a key whose cipher
     * was given up seals and opens as before when it comes back.
     */
    @Test
    void moreKeysThanTheCacheHoldsStayBoundedAndStillSeal() throws Exception {
        int keys = GuestMessages.Ciphers.CAPACITY + 50;
        for (int g = 0; g < keys; g++) {
            byte[] k = new byte[32];
            k[0] = 0x5a;
            k[1] = (byte) g;
            k[2] = (byte) (g >>> 8);
            byte[] page = GuestMessages.seal(k, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 7, 0), payload());
            assertThat(GuestMessages.open(k, page, 7).payload()).isEqualTo(payload());
        }
        assertThat(GuestMessages.threadCiphers().size()).isEqualTo(GuestMessages.Ciphers.CAPACITY);
        byte[] first = new byte[32];
        first[0] = 0x5a;   // key 0: used longest ago, so given up
        byte[] page = GuestMessages.seal(first, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 9, 0), payload());
        assertThat(bouncyCastleOpen(first, page, iv(9))).isEqualTo(payload());
        assertThat(GuestMessages.threadCiphers().size()).isEqualTo(GuestMessages.Ciphers.CAPACITY);
    }

    /** The cache keeps its own copy of a key: a caller that reuses its array for another key is not confused with it. */
    @Test
    void aKeyArrayChangedByItsOwnerAfterUseSealsUnderItsNewContent() throws Exception {
        byte[] k = key(77);
        byte[] before = k.clone();
        GuestMessages.seal(k, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 1, 0), payload());
        k[5] ^= 0x40;
        byte[] page = GuestMessages.seal(k, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 2, 0), payload());
        assertThat(bouncyCastleOpen(k, page, iv(2))).isEqualTo(payload());
        byte[] again = GuestMessages.seal(before, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 3, 0), payload());
        assertThat(bouncyCastleOpen(before, again, iv(3))).isEqualTo(payload());
    }

    /** The IV a message with {@code seqno} is sealed under (written out here, not taken from the class under test). */
    private static byte[] iv(long seqno) {
        byte[] iv = new byte[12];
        for (int b = 0; b < 8; b++) {
            iv[b] = (byte) (seqno >>> (8 * b));
        }
        return iv;
    }

    /**
     * Opens a page with Bouncy Castle's AES-GCM (not the JDK's): AAD 0x30..0x5F, MSG_SIZE at 0x36,
     * ciphertext at 0x60, tag at 0.
     */
    static byte[] bouncyCastleOpen(byte[] key, byte[] page, byte[] iv) throws Exception {
        int size = LeBytes.u16(page, 0x36);
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(false, new AEADParameters(new KeyParameter(key), 128, iv, Arrays.copyOfRange(page, 0x30, 0x60)));
        byte[] in = new byte[size + 16];
        System.arraycopy(page, 0x60, in, 0, size);
        System.arraycopy(page, 0, in, size, 16);
        byte[] out = new byte[gcm.getOutputSize(in.length)];
        int n = gcm.processBytes(in, 0, in.length, out, 0);
        n += gcm.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    @Test
    void wrongKeyIsATagMismatch() {
        assertThatThrownBy(() -> GuestMessages.open(OTHER_KEY, sealed(1), 1)).isInstanceOf(AbiException.class)
                .hasMessageStartingWith("authentication tag mismatch");
    }

    @Test
    void tamperedTagIsATagMismatch() {
        byte[] page = sealed(1);
        page[0x03] ^= 1;
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 1)).hasMessageStartingWith("authentication tag mismatch");
    }

    @Test
    void tamperedCiphertextIsATagMismatch() {
        byte[] page = sealed(1);
        page[0x70] ^= 1;
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 1)).hasMessageStartingWith("authentication tag mismatch");
    }

    @Test
    void tamperedAuthenticatedHeaderIsATagMismatch() {
        byte[] page = sealed(1);
        page[0x35] = 2; // MSG_VERSION is in the AAD
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 1)).hasMessageStartingWith("authentication tag mismatch");
    }

    @Test
    void wrongSeqnoIsRejectedBeforeDecrypting() {
        assertThatThrownBy(() -> GuestMessages.open(KEY, sealed(3), 5)).hasMessage("msg_seqno at 0x20 is 3 (expected: 5)");
    }

    @Test
    void zeroSeqnoIsRejected() {
        assertThatThrownBy(() -> sealed(0)).hasMessageContaining("msg_seqno is 0");
        byte[] page = sealed(1);
        LeBytes.putU64(page, 0x20, 0);
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 0)).hasMessageContaining("msg_seqno is 0");
    }

    @Test
    void seqnoMustFitThirtyTwoBits() {
        assertThat(GuestMessages.open(KEY, sealed(0xFFFF_FFFFL), 0xFFFF_FFFFL).payload()).isEqualTo(payload());
        assertThatThrownBy(() -> sealed(0x1_0000_0000L)).hasMessageContaining("does not fit 32 bits");
    }

    @Test
    void truncatedPageIsRejected() {
        byte[] page = Arrays.copyOf(sealed(1), 4000);
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 1)).hasMessage("guest message page is 4000 bytes (expected: 0x1000)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "algo other than aes-256-gcm       | 0x30 | 2    | algo at 0x30 is 2",
        "header version 2                  | 0x31 | 2    | hdr_version at 0x31 is 2",
        "header size 0x50                  | 0x32 | 0x50 | hdr_size at 0x32 is 0x50",
        "undefined message type            | 0x34 | 15   | msg_type 15 is not a defined message type",
        "message version 0                 | 0x35 | 0    | msg_version at 0x35 is 0",
        "vmpck 4                           | 0x3c | 4    | msg_vmpck at 0x3c is 4",
        "reserved after seqno              | 0x29 | 1    | mbz range [0x28:0x30]",
        "reserved after msg_size           | 0x39 | 1    | mbz range [0x38:0x3c]",
        "reserved after msg_vmpck          | 0x5f | 1    | mbz range [0x3d:0x60]",
        "unused half of the authtag field  | 0x18 | 1    | mbz range [0x10:0x20]"})
    void badHeaderFieldIsRejected(String what, String offset, String value, String message) {
        byte[] page = sealed(1);
        page[Integer.decode(offset)] = (byte) (int) Integer.decode(value);
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 1)).isInstanceOf(AbiException.class).hasMessageContaining(message);
    }

    @Test
    void msgSizePastThePageIsRejected() {
        byte[] page = sealed(1);
        LeBytes.putU16(page, 0x36, 0xfa1);
        assertThatThrownBy(() -> GuestMessages.open(KEY, page, 1)).hasMessageContaining("msg_size at 0x36 is 0xfa1");
    }

    @Test
    void sealRejectsBadKeysAndOversizePayloads() {
        GuestMessageHeader h = GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 1, 0);
        assertThatThrownBy(() -> GuestMessages.seal(new byte[16], h, payload())).hasMessage("vmpck is 16 bytes (expected: 32)");
        assertThatThrownBy(() -> GuestMessages.seal(KEY, h, new byte[4096 - 0x5f])).hasMessageContaining("at most 0xfa0");
    }

    @Test
    void headerRoundTrips() {
        GuestMessageHeader h = new GuestMessageHeader(Arrays.copyOf(key(1), 16),
                0xdead_beefL, 1, 1, 0x60, MessageType.KEY_RSP, 3, 0x40, 2);
        assertThat(GuestMessageHeader.decode(h.encode())).isEqualTo(h);
        assertThat(h.aad()).hasSize(0x30).isEqualTo(Arrays.copyOfRange(h.encode(), 0x30, 0x60));
    }

    @Test
    void responseTypeIsRequestPlusOne() {
        assertThat(MessageType.REPORT_REQ.response()).isEqualTo(MessageType.REPORT_RSP);
        assertThat(MessageType.KEY_REQ.response().code()).isEqualTo(4);
        assertThat(MessageType.TSC_INFO_REQ.response().code()).isEqualTo(18);
        assertThatThrownBy(MessageType.REPORT_RSP::response).hasMessageContaining("is a response");
    }
}
