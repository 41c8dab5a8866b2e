package dev.snpsim.psp.firmware;

import dev.snpsim.abi.launch.IdBlock;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.report.TcbVersion;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * MSG_KEY_REQ key derivation (simulated: AMD's KDF is not public). The key is
 * HKDF-SHA-384 of the chip root (the VCEK scalar at TCB_VERSION if bit 5 of
 * GUEST_FIELD_SELECT is set, else at TCB zero, so it does not change with firmware updates)
 * over the VMPL, the field-select mask and each selected guest field: POLICY (bit 0),
 * IMAGE_ID (1), FAMILY_ID (2), MEASUREMENT (3), GUEST_SVN (4), TCB_VERSION (5). The same guest
 * fields give the same key; a guest may not ask for a GUEST_SVN above its own or a TCB above
 * COMMITTED.
 */
final class GuestKeyDerivation {
    private static final byte[] SALT = "snpsim-guest-derived-key-v1".getBytes(StandardCharsets.US_ASCII);
    private static final long POLICY = 1;
    private static final long IMAGE_ID = 1 << 1;
    private static final long FAMILY_ID = 1 << 2;
    private static final long MEASUREMENT = 1 << 3;
    private static final long GUEST_SVN = 1 << 4;
    private static final long TCB_VERSION = 1 << 5;

    private GuestKeyDerivation() {
    }

    static boolean allowed(Firmware fw, GuestContext g, KeyRequest req) {
        long sel = req.guestFieldSelect();
        if ((sel & GUEST_SVN) != 0 && Integer.compareUnsigned(req.guestSvn(), svn(g)) > 0) {
            return false;
        }
        if ((sel & TCB_VERSION) != 0) {
            TcbVersion t = new TcbVersion(req.tcbVersion());
            return t.reservedBits(fw.product()) == 0 && t.atMost(fw.committedTcb(), fw.product());
        }
        return true;
    }

    static byte[] derive(SigningKeys keys, GuestContext g, KeyRequest req) {
        long sel = req.guestFieldSelect();
        TcbVersion root = (sel & TCB_VERSION) != 0 ? new TcbVersion(req.tcbVersion()) : TcbVersion.ZERO;
        IdBlock id = g.idBlock();
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(u64(req.vmpl()));
        info.writeBytes(u64(sel));
        if ((sel & POLICY) != 0) {
            info.writeBytes(u64(g.policy().raw()));
        }
        if ((sel & IMAGE_ID) != 0) {
            info.writeBytes(id == null ? new byte[16] : id.imageId());
        }
        if ((sel & FAMILY_ID) != 0) {
            info.writeBytes(id == null ? new byte[16] : id.familyId());
        }
        if ((sel & MEASUREMENT) != 0) {
            info.writeBytes(g.measurement());
        }
        if ((sel & GUEST_SVN) != 0) {
            info.writeBytes(u64(Integer.toUnsignedLong(req.guestSvn())));
        }
        if ((sel & TCB_VERSION) != 0) {
            info.writeBytes(u64(req.tcbVersion()));
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA384Digest());
        hkdf.init(new HKDFParameters(keys.chipRoot(root), SALT, info.toByteArray()));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    private static int svn(GuestContext g) {
        return g.idBlock() == null ? 0 : g.idBlock().guestSvn();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
