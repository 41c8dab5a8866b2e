package dev.snpsim.abi.keys;

import static dev.snpsim.abi.keys.HashstickLayout.AAD_END;
import static dev.snpsim.abi.keys.HashstickLayout.CSP_ID;
import static dev.snpsim.abi.keys.HashstickLayout.IV;
import static dev.snpsim.abi.keys.HashstickLayout.IV_SIZE;
import static dev.snpsim.abi.keys.HashstickLayout.KEY_SIZE;
import static dev.snpsim.abi.keys.HashstickLayout.PADDING;
import static dev.snpsim.abi.keys.HashstickLayout.RESERVED_0;
import static dev.snpsim.abi.keys.HashstickLayout.RESERVED_1;
import static dev.snpsim.abi.keys.HashstickLayout.SIZE;
import static dev.snpsim.abi.keys.HashstickLayout.TAG_SIZE;
import static dev.snpsim.abi.keys.HashstickLayout.TCB;
import static dev.snpsim.abi.keys.HashstickLayout.VERSION;
import static dev.snpsim.abi.keys.HashstickLayout.WRAPPED_KEY;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.BigIntegers;

/**
 * The 432-byte wrapped VLEK ("hashstick") that {@code SNP_VLEK_LOAD} hands to firmware.
 * <b>Simulated layout</b>: AMD's real format is confidential; only its size is public.
 * Little-endian:
 *
 * <pre>
 *   0x000 VERSION u32 (0)         0x020 CSP_ID[64] ascii, zero padded
 *   0x004 reserved u32 (0)        0x060 WRAPPED_KEY[48]  AES-256-GCM of the P-384 scalar (big-endian)
 *   0x008 TCB_VERSION u64         0x090 TAG[16]          GCM tag over 0x000..0x05F (AAD) and the key
 *   0x010 IV[12]                  0x0A0 padding[0x110], zero, to 0x1B0
 *   0x01C reserved u32 (0)
 * </pre>
 * The IV is derived from the VLEK's identity (product, CSP, generation, TCB), so wrapping
 * the same VLEK twice gives the same bytes and two different VLEKs never share an IV.
 */
public final class VlekHashstick {
    /**
     * Size of a hashstick: {@code struct sev_user_data_snp_wrapped_vlek_hashstick { u8 data[432]; }}
     * in Linux's psp-sev.h. (SNP_VLEK_LOAD's own {@code len} is the size of its 16-byte command
     * buffer, not of the hashstick.)
     */
    public static final int SIZE = HashstickLayout.SIZE;
    /** The only wrapped version: SNP_VLEK_LOAD's {@code vlek_wrapped_version} must be 0. */
    public static final int VERSION_0 = 0;
    /** Longest CSP id a hashstick carries. */
    public static final int CSP_ID_SIZE = HashstickLayout.CSP_ID_SIZE;

    private VlekHashstick() {
    }

    /** Wraps {@code vlek}'s private key under AMD's wrapping key. */
    public static byte[] wrap(SecretKey amdWrappingKey, Vlek vlek) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VERSION, VERSION_0);
        b.putLong(TCB, vlek.tcb().raw());
        byte[] iv = iv(vlek);
        b.put(IV, iv);
        byte[] csp = vlek.cspId().getBytes(StandardCharsets.US_ASCII);
        b.put(CSP_ID, csp);
        byte[] out = b.array();
        byte[] scalar = BigIntegers.asUnsignedByteArray(KEY_SIZE, vlek.privateKey().getS());
        GCMModeCipher gcm = gcm(true, amdWrappingKey, iv, Arrays.copyOf(out, AAD_END));
        byte[] ct = new byte[KEY_SIZE + TAG_SIZE];
        int n = gcm.processBytes(scalar, 0, scalar.length, ct, 0);
        try {
            gcm.doFinal(ct, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("gcm encryption failed", e);
        }
        System.arraycopy(ct, 0, out, WRAPPED_KEY, ct.length);
        return out;
    }

    /**
     * Checks and unwraps a hashstick: wrong size, unknown version, non-zero reserved or
     * padding bytes, and a key other than the one that wrapped it (the GCM tag fails) are
     * rejected with {@link AbiException}.
     */
    public static VlekUnwrapped unwrap(SecretKey amdWrappingKey, byte[] blob) {
        if (blob == null || blob.length != SIZE) {
            throw AbiException.of("vlek hashstick is %d bytes (expected: 0x%x)", blob == null ? 0 : blob.length, SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(VERSION);
        if (version != VERSION_0) {
            throw AbiException.of("vlek hashstick version at 0x%x is %d (expected: %d)", VERSION,
                    Integer.toUnsignedLong(version), VERSION_0);
        }
        requireZero(blob, RESERVED_0, RESERVED_0 + 4, "reserved");
        requireZero(blob, RESERVED_1, RESERVED_1 + 4, "reserved");
        requireZero(blob, PADDING, SIZE, "padding");
        String cspId = cspId(blob);
        GCMModeCipher gcm = gcm(false, amdWrappingKey, Arrays.copyOfRange(blob, IV, IV + IV_SIZE),
                Arrays.copyOf(blob, AAD_END));
        byte[] plain = new byte[KEY_SIZE];
        int n = gcm.processBytes(blob, WRAPPED_KEY, KEY_SIZE + TAG_SIZE, plain, 0);
        try {
            gcm.doFinal(plain, n);
        } catch (InvalidCipherTextException e) {
            throw AbiException.of("vlek hashstick tag at 0x%x does not verify: wrapped under another key or altered",
                    HashstickLayout.TAG);
        }
        BigInteger d = new BigInteger(1, plain);
        if (d.signum() == 0 || d.compareTo(P384.order()) >= 0) {
            throw new AbiException("vlek hashstick key is not a p-384 scalar");
        }
        return new VlekUnwrapped(version, new TcbVersion(b.getLong(TCB)), cspId, P384.privateKey(d));
    }

    private static String cspId(byte[] blob) {
        int end = CSP_ID;
        while (end < CSP_ID + CSP_ID_SIZE && blob[end] != 0) {
            end++;
        }
        requireZero(blob, end, CSP_ID + CSP_ID_SIZE, "csp_id padding");
        return new String(blob, CSP_ID, end - CSP_ID, StandardCharsets.US_ASCII);
    }

    private static GCMModeCipher gcm(boolean encrypt, SecretKey key, byte[] iv, byte[] aad) {
        byte[] k = key.getEncoded();
        if (k == null || k.length != 32) {
            throw AbiException.of("vlek wrapping key is %d bytes (expected: 32, aes-256)", k == null ? 0 : k.length);
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(k), TAG_SIZE * 8, iv, aad));
        return gcm;
    }

    private static byte[] iv(Vlek v) {
        SHA384Digest d = new SHA384Digest();
        byte[] id = KeyDerivation.info("vlek-hashstick-iv", KeyDerivation.utf8(v.product().name()),
                KeyDerivation.utf8(v.cspId()), KeyDerivation.u64(v.generation()), KeyDerivation.u64(v.tcb().raw()));
        d.update(id, 0, id.length);
        byte[] h = new byte[d.getDigestSize()];
        d.doFinal(h, 0);
        return Arrays.copyOf(h, IV_SIZE);
    }

    private static void requireZero(byte[] b, int from, int to, String field) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                throw AbiException.of("vlek hashstick %s [0x%x:0x%x] not all zero (byte 0x%x is 0x%02x)", field, from,
                        to, i, b[i]);
            }
        }
    }
}
