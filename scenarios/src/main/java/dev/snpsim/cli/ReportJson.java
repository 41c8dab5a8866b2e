package dev.snpsim.cli;

import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every decoded report field under its spec name in lowerCamelCase: byte arrays as
 * lowercase hex, integers as numbers (64-bit fields unsigned), each TCB as an object of
 * its components plus {@code raw}. Scripts rely on these keys: add, never rename.
 */
final class ReportJson {
    private ReportJson() {
    }

    static Map<String, Object> of(AttestationReport r, Product product) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", r.version());
        m.put("guestSvn", unsigned32(r.guestSvn()));
        m.put("policy", ordered("raw", unsigned64(r.policy().raw()), "abiMajor", r.policy().abiMajor(),
                "abiMinor", r.policy().abiMinor(), "smt", r.policy().smt(), "migrateMa", r.policy().migrateMa(),
                "debug", r.policy().debug(), "singleSocket", r.policy().singleSocket()));
        m.put("familyId", Hex.of(r.familyId()));
        m.put("imageId", Hex.of(r.imageId()));
        m.put("vmpl", unsigned32(r.vmpl()));
        m.put("signatureAlgo", unsigned32(r.signatureAlgo()));
        m.put("currentTcb", tcb(r.currentTcb(), product));
        m.put("platformInfo", ordered("raw", unsigned64(r.platformInfo().raw()),
                "smtEnabled", r.platformInfo().smtEnabled(), "tsmeEnabled", r.platformInfo().tsmeEnabled(),
                "unknownBits", unsigned64(r.platformInfo().unknownBits())));
        m.put("authorKeyEn", r.signerInfo().authorKeyEn());
        m.put("maskChipKey", r.signerInfo().maskChipKey());
        m.put("signingKey", r.signerInfo().signingKey().name());
        m.put("reportData", Hex.of(r.reportData()));
        m.put("measurement", Hex.of(r.measurement()));
        m.put("hostData", Hex.of(r.hostData()));
        m.put("idKeyDigest", Hex.of(r.idKeyDigest()));
        m.put("authorKeyDigest", Hex.of(r.authorKeyDigest()));
        m.put("reportId", Hex.of(r.reportId()));
        m.put("reportIdMa", Hex.of(r.reportIdMa()));
        m.put("reportedTcb", tcb(r.reportedTcb(), product));
        if (r.version() >= 3) {
            m.put("cpuidFamId", r.cpuidFamId());
            m.put("cpuidModId", r.cpuidModId());
            m.put("cpuidStep", r.cpuidStep());
        }
        m.put("chipId", Hex.of(r.chipId()));
        m.put("committedTcb", tcb(r.committedTcb(), product));
        m.put("currentBuild", r.currentBuild());
        m.put("currentMinor", r.currentMinor());
        m.put("currentMajor", r.currentMajor());
        m.put("committedBuild", r.committedBuild());
        m.put("committedMinor", r.committedMinor());
        m.put("committedMajor", r.committedMajor());
        m.put("launchTcb", tcb(r.launchTcb(), product));
        if (r.version() >= 5) {
            m.put("launchMitVector", unsigned64(r.launchMitVector()));
            m.put("currentMitVector", unsigned64(r.currentMitVector()));
        }
        m.put("signature", ordered("r", r.signature().r().toString(16), "s", r.signature().s().toString(16)));
        return m;
    }

    /** A TCB as its components (in the product's layout, Milan/Genoa's when unknown) plus raw. */
    static Map<String, Object> tcb(TcbVersion t, Product product) {
        Product layout = product == null ? Product.MILAN : product;
        TcbVersion.Components c = t.components(layout);
        Map<String, Object> m = new LinkedHashMap<>();
        if (layout.hasFmc()) {
            m.put("fmc", c.fmc());
        }
        m.put("bootloader", c.bootloader());
        m.put("tee", c.tee());
        m.put("snp", c.snp());
        m.put("microcode", c.microcode());
        m.put("raw", unsigned64(t.raw()));
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Object unsigned64(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }

    static long unsigned32(int v) {
        return Integer.toUnsignedLong(v);
    }
}
