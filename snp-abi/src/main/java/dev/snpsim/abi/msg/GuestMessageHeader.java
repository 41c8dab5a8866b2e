package dev.snpsim.abi.msg;

import static dev.snpsim.abi.msg.MsgLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/**
 * The guest message header (SNP ABI spec, "Message Header Format"; Linux
 * {@code struct snp_guest_msg_hdr}), 0x60 bytes at the start of the message page:
 *
 * <pre>
 *   0x00 AUTHTAG[32] (AES-256-GCM: 16 used)  0x34 MSG_TYPE u8
 *   0x20 MSG_SEQNO u64                       0x35 MSG_VERSION u8
 *   0x28 reserved[8]                         0x36 MSG_SIZE u16
 *   0x30 ALGO u8 (1 = AES-256-GCM)           0x38 reserved u32
 *   0x31 HDR_VERSION u8 (1)                  0x3C MSG_VMPCK u8 (0..3)
 *   0x32 HDR_SIZE u16 (0x60)                 0x3D reserved[35]
 * </pre>
 *
 * The AAD of the AEAD is bytes 0x30..0x5F. {@code authTag} is the 16-byte tag (zeros
 * before sealing).
 */
public record GuestMessageHeader(
        byte[] authTag,
        long seqno,
        int algo,
        int hdrVersion,
        int hdrSize,
        MessageType msgType,
        int msgVersion,
        int msgSize,
        int msgVmpck) {

    /** ALGO for AES-256-GCM, the only one defined. */
    public static final int AES_256_GCM = 1;
    /** HDR_VERSION defined by the spec. */
    public static final int HEADER_VERSION = 1;
    /** HDR_SIZE. */
    public static final int SIZE = HEADER_SIZE;
    /** Largest payload a page holds. */
    public static final int MAX_MSG_SIZE = MAX_PAYLOAD;

    public GuestMessageHeader {
        if (authTag == null || authTag.length != AUTHTAG_SIZE) {
            throw AbiException.of("header authtag is %s bytes (expected: %d)",
                    authTag == null ? "missing" : String.valueOf(authTag.length), AUTHTAG_SIZE);
        }
        authTag = authTag.clone();
        if (algo != AES_256_GCM) {
            throw AbiException.of("header algo at 0x%x is %d (expected: 1, aes-256-gcm)", ALGO, algo);
        }
        if (hdrVersion != HEADER_VERSION) {
            throw AbiException.of("header hdr_version at 0x%x is %d (expected: 1)", HDR_VERSION, hdrVersion);
        }
        if (hdrSize != HEADER_SIZE) {
            throw AbiException.of("header hdr_size at 0x%x is 0x%x (expected: 0x60)", HDR_SIZE, hdrSize);
        }
        if (msgType == null) {
            throw new AbiException("header msg_type is missing");
        }
        if (msgVersion < 1 || msgVersion > 0xff) {
            throw AbiException.of("header msg_version at 0x%x is %d (expected: 1..255)", MSG_VERSION, msgVersion);
        }
        if (msgSize < 0 || msgSize > MAX_PAYLOAD) {
            throw AbiException.of("header msg_size at 0x%x is 0x%x (expected: at most 0x%x, the page minus the header)",
                    MSG_SIZE, msgSize, MAX_PAYLOAD);
        }
        if (msgVmpck < 0 || msgVmpck > 3) {
            throw AbiException.of("header msg_vmpck at 0x%x is %d (expected: 0..3)", MSG_VMPCK, msgVmpck);
        }
    }

    /** A header before sealing: zero tag, AES-256-GCM, header version 1, payload size 0. */
    public static GuestMessageHeader of(MessageType type, int msgVersion, long seqno, int vmpck) {
        return new GuestMessageHeader(new byte[AUTHTAG_SIZE], seqno, AES_256_GCM, HEADER_VERSION, HEADER_SIZE,
                type, msgVersion, 0, vmpck);
    }

    @Override
    public byte[] authTag() {
        return authTag.clone();
    }

    public GuestMessageHeader withAuthTag(byte[] tag) {
        return new GuestMessageHeader(tag, seqno, algo, hdrVersion, hdrSize, msgType, msgVersion, msgSize, msgVmpck);
    }

    public GuestMessageHeader withMsgSize(int size) {
        return new GuestMessageHeader(authTag, seqno, algo, hdrVersion, hdrSize, msgType, msgVersion, size, msgVmpck);
    }

    /** The 0x60 header bytes. */
    public byte[] encode() {
        byte[] b = new byte[HEADER_SIZE];
        System.arraycopy(authTag, 0, b, AUTHTAG, AUTHTAG_SIZE);
        LeBytes.putU64(b, MSG_SEQNO, seqno);
        LeBytes.putU8(b, ALGO, algo);
        LeBytes.putU8(b, HDR_VERSION, hdrVersion);
        LeBytes.putU16(b, HDR_SIZE, hdrSize);
        LeBytes.putU8(b, MSG_TYPE, msgType.code());
        LeBytes.putU8(b, MSG_VERSION, msgVersion);
        LeBytes.putU16(b, MSG_SIZE, msgSize);
        LeBytes.putU8(b, MSG_VMPCK, msgVmpck);
        return b;
    }

    /** The additional authenticated data: header bytes 0x30..0x5F. */
    public byte[] aad() {
        return Arrays.copyOfRange(encode(), ALGO, HEADER_SIZE);
    }

    /**
     * Decodes the header at the start of {@code bytes} (a page, or at least 0x60 bytes).
     * Checks ALGO, HDR_VERSION, HDR_SIZE, MSG_TYPE, MSG_VMPCK, MSG_SIZE and that the unused
     * tag bytes 0x10..0x1F and reserved ranges 0x28..0x2F, 0x38..0x3B, 0x3D..0x5F are zero.
     */
    public static GuestMessageHeader decode(byte[] bytes) {
        LeBytes.requireAtLeast(bytes, HEADER_SIZE, "guest message");
        LeBytes.requireZero(bytes, AUTHTAG + AUTHTAG_SIZE, AUTHTAG + AUTHTAG_FIELD_SIZE, "header authtag tail");
        LeBytes.requireZero(bytes, RESERVED_28, ALGO, "header reserved after msg_seqno");
        LeBytes.requireZero(bytes, RESERVED_38, MSG_VMPCK, "header reserved after msg_size");
        LeBytes.requireZero(bytes, RESERVED_3D, HEADER_SIZE, "header reserved after msg_vmpck");
        MessageType type;
        try {
            type = MessageType.of(LeBytes.u8(bytes, MSG_TYPE));
        } catch (AbiException e) {
            throw new AbiException("header at 0x34: " + e.getMessage(), e);
        }
        return new GuestMessageHeader(
                LeBytes.slice(bytes, AUTHTAG, AUTHTAG_SIZE),
                LeBytes.u64(bytes, MSG_SEQNO),
                LeBytes.u8(bytes, ALGO),
                LeBytes.u8(bytes, HDR_VERSION),
                LeBytes.u16(bytes, HDR_SIZE),
                type,
                LeBytes.u8(bytes, MSG_VERSION),
                LeBytes.u16(bytes, MSG_SIZE),
                LeBytes.u8(bytes, MSG_VMPCK));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestMessageHeader h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "GuestMessageHeader[type=" + msgType + ", version=" + msgVersion + ", seqno=" + Long.toUnsignedString(seqno)
                + ", size=" + msgSize + ", vmpck=" + msgVmpck + ", tag=" + dev.snpsim.abi.Hex.of(authTag) + "]";
    }
}
