package dev.snpsim.psp.firmware;

import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.report.TcbVersion;
import java.security.interfaces.ECPrivateKey;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * The keys firmware signs and derives with: the VCEK per TCB (derived once per TCB and kept;
 * no certificate is built, so no RSA work) and the loaded VLEK.
 */
final class SigningKeys {
    private final FirmwareConfig config;
    /** keyed by TCB_VERSION raw value; looked up, never iterated */
    private final Map<Long, ECPrivateKeyParameters> vceks = new HashMap<>();
    private ECPrivateKeyParameters vlek;
    /** The VCEK last asked for and its TCB: nearly every report is signed at the TCB of the one before. */
    private long lastTcb;
    private ECPrivateKeyParameters lastVcek;

    SigningKeys(FirmwareConfig config) {
        this.config = config;
    }

    ECPrivateKeyParameters vcek(TcbVersion tcb) {
        long raw = tcb.raw();
        if (lastVcek == null || raw != lastTcb) {
            lastVcek = vceks.computeIfAbsent(raw, r -> P384.toParameters(
                    config.keys().vcekPrivateKey(config.product(), config.chipId(), tcb)));
            lastTcb = raw;
        }
        return lastVcek;
    }

    void loadVlek(ECPrivateKey key) {
        vlek = key == null ? null : P384.toParameters(key);
    }

    /** The loaded VLEK, or null. */
    ECPrivateKeyParameters vlek() {
        return vlek;
    }

    /** 48 bytes of chip-unique secret at {@code tcb} (the VCEK scalar), root of derived guest keys. */
    byte[] chipRoot(TcbVersion tcb) {
        return BigIntegers.asUnsignedByteArray(48, vcek(tcb).getD());
    }
}
