package dev.snpsim.psp.firmware;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.report.PlatformInfo;
import dev.snpsim.abi.report.TcbVersion;
import java.util.Arrays;

/**
 * What a firmware instance starts from.
 *
 * @param product       the EPYC generation (decides TCB layout, CPUID fields, chip id length)
 * @param keys          the simulated AMD hierarchy: VCEKs derive from it, VLEK hashsticks unwrap with
 *                      its AMD wrapping key
 * @param chipId        64 bytes; on Turin 8 bytes then zeros
 * @param version       the running firmware; CURRENT and COMMITTED start at it
 * @param tcb           the TCB; CURRENT, COMMITTED and REPORTED start at it
 * @param reportVersion VERSION of the reports built: 2, 3 or 5
 * @param platformInfo  PLATFORM_INFO of every report (SMT_EN decides the SMT policy check)
 */
public record FirmwareConfig(Product product, KeyHierarchy keys, byte[] chipId, FirmwareVersion version,
                             TcbVersion tcb, int reportVersion, PlatformInfo platformInfo) {
    public FirmwareConfig {
        if (product == null || keys == null || chipId == null || version == null || tcb == null
                || platformInfo == null) {
            throw new IllegalArgumentException("firmware config: product, keys, chip id, version, tcb and "
                    + "platform info are required");
        }
        if (chipId.length != 64) {
            throw new IllegalArgumentException("chip id is " + chipId.length + " bytes (expected: 64)");
        }
        if (product.hasFmc()) {
            for (int i = 8; i < 64; i++) {
                if (chipId[i] != 0) {
                    throw new IllegalArgumentException(String.format(
                            "turin chip id byte 0x%x is 0x%02x (expected: zero after 8 bytes)", i, chipId[i]));
                }
            }
        }
        if (reportVersion != 2 && reportVersion != 3 && reportVersion != 5) {
            throw new IllegalArgumentException("report version is " + reportVersion + " (expected: 2, 3 or 5)");
        }
        chipId = chipId.clone();
    }

    /** A config with a chip id made from {@code chipSeed}, report version 3 and SMT enabled. */
    public static FirmwareConfig of(Product product, KeyHierarchy keys, long chipSeed, FirmwareVersion version,
                                    TcbVersion tcb) {
        return new FirmwareConfig(product, keys, chipIdOf(product, chipSeed), version, tcb, 3,
                PlatformInfo.of(true, false, false, false));
    }

    /** A deterministic chip id: 64 bytes (Milan, Genoa) or 8 bytes then zeros (Turin). */
    public static byte[] chipIdOf(Product product, long chipSeed) {
        byte[] id = new byte[64];
        int len = product.hasFmc() ? 8 : 64;
        long x = chipSeed;
        for (int i = 0; i < len; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            id[i] = (byte) (x >>> 56);
        }
        if (Arrays.equals(id, new byte[64])) {
            id[0] = 1;
        }
        return id;
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }

    /** {@link #chipId()} itself, not a copy: read only, by the report factory. */
    byte[] chipIdRef() {
        return chipId;
    }

    public FirmwareConfig withReportVersion(int v) {
        return new FirmwareConfig(product, keys, chipId, version, tcb, v, platformInfo);
    }

    public FirmwareConfig withPlatformInfo(PlatformInfo info) {
        return new FirmwareConfig(product, keys, chipId, version, tcb, reportVersion, info);
    }
}
