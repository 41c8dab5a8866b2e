package dev.snpsim.abi.keys;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The AMD key distribution service extensions of a VCEK or VLEK certificate, under
 * 1.3.6.1.4.1.3704.1: {@code .1} struct version (INTEGER), {@code .2} product name
 * (IA5String, e.g. "Milan-B0"), {@code .3.n} security patch levels (INTEGER each),
 * {@code .4} hwID (the raw chip id bytes as the extension value, without an inner tag,
 * as AMD encodes it; VCEK only), {@code .5} cspID (IA5String; VLEK only).
 *
 * <p>SPL minors and the TCB_VERSION byte each one mirrors (SPEC.md section 7):
 * Milan/Genoa: .3.1 bl = byte 0, .3.2 tee = 1, .3.4-.3.7 reserved = 2-5, .3.3 snp = 6,
 * .3.8 ucode = 7. Turin: .3.9 fmc = byte 0, .3.1 bl = 1, .3.2 tee = 2, .3.3 snp = 3,
 * .3.5-.3.7 reserved = 4-6, .3.8 ucode = 7.
 *
 * @param structVersion value of {@code .1} (0 in every real certificate seen)
 * @param productName   value of {@code .2}
 * @param spls          SPL minor number (1..9) to value, in minor order
 * @param hwId          value of {@code .4}, or null when absent
 * @param cspId         value of {@code .5}, or null when absent
 */
public record KdsExtensions(int structVersion, String productName, Map<Integer, Integer> spls, byte[] hwId,
                            String cspId) {
    /** Arc of every AMD KDS extension. */
    public static final String ARC = "1.3.6.1.4.1.3704.1";
    public static final ASN1ObjectIdentifier STRUCT_VERSION = new ASN1ObjectIdentifier(ARC + ".1");
    public static final ASN1ObjectIdentifier PRODUCT_NAME = new ASN1ObjectIdentifier(ARC + ".2");
    public static final ASN1ObjectIdentifier HW_ID = new ASN1ObjectIdentifier(ARC + ".4");
    public static final ASN1ObjectIdentifier CSP_ID = new ASN1ObjectIdentifier(ARC + ".5");
    /** Bytes of hwID on Turin (the first 8 bytes of CHIP_ID); 64 on Milan and Genoa. */
    public static final int TURIN_HW_ID_SIZE = 8;
    public static final int HW_ID_SIZE = 64;

    private static final int[] MILAN_MINOR_OF_BYTE = {1, 2, 4, 5, 6, 7, 3, 8};
    private static final int[] TURIN_MINOR_OF_BYTE = {9, 1, 2, 3, 5, 6, 7, 8};
    /** Order AMD writes the SPLs in Milan/Genoa certificates. */
    private static final int[] MILAN_WRITE_ORDER = {1, 2, 4, 5, 6, 7, 3, 8};
    private static final int[] TURIN_WRITE_ORDER = {1, 2, 5, 6, 7, 3, 8, 9};

    public KdsExtensions {
        spls = Collections.unmodifiableMap(new TreeMap<>(spls));
    }

    /** The OID of SPL {@code .3.minor}. */
    public static ASN1ObjectIdentifier splOid(int minor) {
        return new ASN1ObjectIdentifier(ARC + ".3." + minor);
    }

    /** The KDS name of SPL {@code .3.minor} ("blSPL"), for messages. */
    public static String splName(int minor) {
        return switch (minor) {
            case 1 -> "blSPL";
            case 2 -> "teeSPL";
            case 3 -> "snpSPL";
            case 8 -> "ucodeSPL";
            case 9 -> "fmcSPL";
            default -> "spl" + minor;
        };
    }

    /** The SPLs a certificate for {@code product} at TCB {@code tcbRaw} carries. */
    public static Map<Integer, Integer> splsOf(Product product, long tcbRaw) {
        int[] minorOfByte = product.hasFmc() ? TURIN_MINOR_OF_BYTE : MILAN_MINOR_OF_BYTE;
        Map<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
            m.put(minorOfByte[i], (int) ((tcbRaw >>> (8 * i)) & 0xff));
        }
        return m;
    }

    /**
     * The TCB_VERSION these SPLs describe for {@code product}; a missing SPL fails with
     * the extension named, except the reserved ones, which read as zero.
     */
    public long tcbRaw(Product product) {
        int[] minorOfByte = product.hasFmc() ? TURIN_MINOR_OF_BYTE : MILAN_MINOR_OF_BYTE;
        long raw = 0;
        for (int i = 0; i < 8; i++) {
            int minor = minorOfByte[i];
            Integer v = spls.get(minor);
            if (v == null && (minor == 1 || minor == 2 || minor == 3 || minor == 8 || minor == 9)) {
                throw AbiException.of("certificate lacks extension %s (%s) required for %s",
                        splOid(minor), splName(minor), product.displayName().toLowerCase(java.util.Locale.ROOT));
            }
            raw |= (long) (v == null ? 0 : v) << (8 * i);
        }
        return raw;
    }

    /** Adds these extensions (non-critical, in AMD's order) to a certificate being built. */
    void addTo(X509v3CertificateBuilder b, Product product) {
        try {
            b.addExtension(STRUCT_VERSION, false, new ASN1Integer(structVersion));
            b.addExtension(PRODUCT_NAME, false, new DERIA5String(productName));
            for (int minor : product.hasFmc() ? TURIN_WRITE_ORDER : MILAN_WRITE_ORDER) {
                Integer v = spls.get(minor);
                if (v != null) {
                    b.addExtension(splOid(minor), false, new ASN1Integer(v));
                }
            }
            if (hwId != null) {
                b.addExtension(HW_ID, false, hwId.clone());
            }
            if (cspId != null) {
                b.addExtension(CSP_ID, false, new DERIA5String(cspId));
            }
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode kds extension", e);
        }
    }

    /** Reads the KDS extensions of a certificate; malformed values fail naming the OID. */
    public static KdsExtensions read(X509Certificate cert) {
        Integer structVersion = integer(cert, STRUCT_VERSION);
        String product = ia5(cert, PRODUCT_NAME);
        if (structVersion == null || product == null) {
            throw AbiException.of("certificate %s lacks the amd struct version (%s) or product name (%s)",
                    cert.getSubjectX500Principal().getName(), STRUCT_VERSION, PRODUCT_NAME);
        }
        Map<Integer, Integer> spls = new TreeMap<>();
        for (int minor = 1; minor <= 9; minor++) {
            Integer v = integer(cert, splOid(minor));
            if (v != null) {
                if (v < 0 || v > 255) {
                    throw AbiException.of("extension %s (%s) is %d (expected: 0..255)", splOid(minor),
                            splName(minor), v);
                }
                spls.put(minor, v);
            }
        }
        byte[] hw = cert.getExtensionValue(HW_ID.getId());
        byte[] hwId = hw == null ? null : octets(hw, HW_ID);
        return new KdsExtensions(structVersion, product, spls, hwId, ia5(cert, CSP_ID));
    }

    private static Integer integer(X509Certificate cert, ASN1ObjectIdentifier oid) {
        byte[] v = cert.getExtensionValue(oid.getId());
        if (v == null) {
            return null;
        }
        ASN1Primitive p = inner(v, oid);
        if (!(p instanceof ASN1Integer i)) {
            throw AbiException.of("extension %s is not an integer", oid);
        }
        BigInteger b = i.getValue();
        if (b.bitLength() > 31) {
            throw AbiException.of("extension %s is %s (expected: a small integer)", oid, b);
        }
        return b.intValue();
    }

    private static String ia5(X509Certificate cert, ASN1ObjectIdentifier oid) {
        byte[] v = cert.getExtensionValue(oid.getId());
        if (v == null) {
            return null;
        }
        ASN1Primitive p = inner(v, oid);
        if (!(p instanceof ASN1IA5String s)) {
            throw AbiException.of("extension %s is not an ia5string", oid);
        }
        return s.getString();
    }

    private static ASN1Primitive inner(byte[] extensionValue, ASN1ObjectIdentifier oid) {
        try {
            return ASN1Primitive.fromByteArray(octets(extensionValue, oid));
        } catch (IOException | IllegalArgumentException e) {
            throw AbiException.of("extension %s value does not parse: %s", oid, e.getMessage());
        }
    }

    private static byte[] octets(byte[] extensionValue, ASN1ObjectIdentifier oid) {
        try {
            return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(extensionValue)).getOctets();
        } catch (IOException | IllegalArgumentException e) {
            throw AbiException.of("extension %s is not an octet string: %s", oid, e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KdsExtensions k && k.structVersion == structVersion && k.productName.equals(productName)
                && k.spls.equals(spls) && Arrays.equals(k.hwId, hwId) && java.util.Objects.equals(k.cspId, cspId);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(structVersion, productName, spls, Arrays.hashCode(hwId), cspId);
    }

    @Override
    public String toString() {
        return "KdsExtensions[structVersion=" + structVersion + ", productName=" + productName + ", spls=" + spls
                + ", hwId=" + (hwId == null ? "none" : Hex.of(hwId)) + ", cspId=" + cspId + "]";
    }
}
