package dev.snpsim.abi.verify;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.KdsExtensions;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.abi.verify.ChainCheck.Intermediate;
import dev.snpsim.abi.verify.Verdict.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies attestation reports as a relying party does. Checks, in order, each failing
 * with its own {@link Reason}: size and SIGNATURE_ALGO, decoding; the chain (ARK
 * self-signed, ASK/ASVK by the ARK, VCEK/VLEK by the ASK/ASVK, RSASSA-PSS SHA-384, names
 * chaining, optional validity); the product (options, CPUID, certificates agree); the key
 * kind (SIGNING_KEY vs the leaf, VCEK under the ASK and VLEK under the ASVK); the ECDSA
 * signature; the leaf's SPLs against REPORTED_TCB; the VCEK's hwID against CHIP_ID
 * unless CHIP_ID is masked (all zero).
 *
 * <p>Validity dates are not checked unless {@link Options#checkValidityAt} is given:
 * real VCEK and VLEK certificates expire while archived reports stay verifiable.
 * Thread-safe; remembers the chains it has verified (up to 1024).
 */
public final class ReportVerifier {
    private static final int SIGNATURE_ALGO_OFFSET = 0x34;

    private static final int CHAIN_CACHE_SIZE = 1024;

    private final Options options;
    /** Chains already verified, keyed by the certificates (equal = same DER bytes). */
    private final Map<List<X509Certificate>, ChainCheck.Result> verifiedChains = new ConcurrentHashMap<>();

    public ReportVerifier(Options options) {
        this.options = options;
    }

    /** A verifier with {@link Options#defaults()}. */
    public static ReportVerifier withDefaults() {
        return new ReportVerifier(Options.defaults());
    }

    public Options options() {
        return options;
    }

    /** Verifies a report against an explicit chain; {@code ark} is the trust anchor. */
    public Verdict verify(byte[] reportBytes, X509Certificate ark, X509Certificate askOrAsvk,
                          X509Certificate vcekOrVlek) {
        AttestationReport report;
        try {
            report = decode(reportBytes);
        } catch (Rejected r) {
            return new Verdict(r.reason(), r.getMessage(), null, options.product().orElse(null));
        }
        Product product = null;
        try {
            if (vcekOrVlek == null) {
                throw new Rejected(Reason.MISSING_CERTIFICATE, "vcek or vlek certificate is missing");
            }
            ChainCheck.Result chain = chain(ark, askOrAsvk, vcekOrVlek);
            product = chain.product();
            KdsExtensions ext = extensions(vcekOrVlek);
            checkProduct(report, chain.product(), ext);
            checkKeyKind(report, chain.intermediate(), ext);
            // the bytes decoded, so they are the report's canonical encoding: checked as received, not re-encoded
            if (!ReportSigner.verifyEncoded(reportBytes, (ECPublicKey) vcekOrVlek.getPublicKey())) {
                throw new Rejected(Reason.BAD_SIGNATURE, "ecdsa p-384 signature (r " + report.signature().r().toString(16)
                        + ") does not verify with the key of '" + ChainCheck.commonName(vcekOrVlek) + "'");
            }
            checkTcb(report, product, ext);
            checkChipId(report, product, ext);
            return new Verdict(Reason.OK, String.format(Locale.ROOT, "%s-signed report, reported_tcb %s, chain %s",
                    report.signerInfo().signingKey().name().toLowerCase(Locale.ROOT), report.reportedTcb(),
                    ChainCheck.commonName(askOrAsvk)), report, product);
        } catch (Rejected r) {
            return new Verdict(r.reason(), r.getMessage(), report, product);
        }
    }

    /**
     * Verifies a report against the certificates of an extended-request table. The leaf
     * is the VCEK or VLEK entry the report's SIGNING_KEY names (the other one if only that
     * is present, which the key-kind check then rejects); the intermediate is the ASK
     * entry (where hosts also store the ASVK). The trust anchor is {@code trustedArk}; if
     * it is null, the table's ARK is used only if it equals one of
     * {@link Options#trustedArks}. A table ARK that differs from {@code trustedArk} breaks
     * the chain.
     */
    public Verdict verify(byte[] reportBytes, CertTable table, X509Certificate trustedArk) {
        Product hint = options.product().orElse(null);
        AttestationReport report = null;
        try {
            report = decode(reportBytes);
            X509Certificate tableArk = entry(table, CertGuid.ARK, false);
            X509Certificate ark = trustedArk;
            if (ark == null) {
                if (tableArk == null) {
                    throw new Rejected(Reason.MISSING_CERTIFICATE, "no trusted ark given and the table has no ark");
                }
                if (options.trustedArks().stream().noneMatch(tableArk::equals)) {
                    throw new Rejected(Reason.CHAIN_BROKEN, "table's ark '" + ChainCheck.commonName(tableArk)
                            + "' is not one of the " + options.trustedArks().size() + " trusted arks");
                }
                ark = tableArk;
            } else if (tableArk != null && !tableArk.equals(trustedArk)) {
                throw new Rejected(Reason.CHAIN_BROKEN, "table's ark '" + ChainCheck.commonName(tableArk)
                        + "' differs from the trusted ark '" + ChainCheck.commonName(trustedArk) + "'");
            }
            boolean wantsVlek = report.signerInfo().signingKey() == SigningKey.VLEK;
            X509Certificate leaf = entry(table, wantsVlek ? CertGuid.VLEK : CertGuid.VCEK, false);
            if (leaf == null) {
                leaf = entry(table, wantsVlek ? CertGuid.VCEK : CertGuid.VLEK, false);
            }
            X509Certificate mid = entry(table, CertGuid.ASK, true);
            if (leaf == null) {
                throw new Rejected(Reason.MISSING_CERTIFICATE, "table has neither a vcek nor a vlek entry");
            }
            return verify(reportBytes, ark, mid, leaf);
        } catch (Rejected r) {
            return new Verdict(r.reason(), r.getMessage(), report, hint);
        }
    }

    /** Checks only a chain (ARK, ASK or ASVK, optional leaf); the verdict carries no report. */
    public Verdict verifyChain(X509Certificate ark, X509Certificate askOrAsvk, X509Certificate leafOrNull) {
        try {
            ChainCheck.Result r = ChainCheck.check(ark, askOrAsvk, leafOrNull, options.checkValidityAt());
            return new Verdict(Reason.OK, "chain of '" + ChainCheck.commonName(askOrAsvk) + "' verifies", null,
                    r.product());
        } catch (Rejected r) {
            return new Verdict(r.reason(), r.getMessage(), null, null);
        }
    }

    /**
     * The chain check, remembered per verifier: a relying party sees the same few chains
     * over and over, and their three RSA-PSS verifications cost more than the report's ECDSA.
     * Only successes are kept; certificates compare by their DER bytes.
     */
    private ChainCheck.Result chain(X509Certificate ark, X509Certificate mid, X509Certificate leaf) throws Rejected {
        if (ark == null || mid == null) {
            return ChainCheck.check(ark, mid, leaf, options.checkValidityAt());
        }
        List<X509Certificate> key = List.of(ark, mid, leaf);
        ChainCheck.Result hit = verifiedChains.get(key);
        if (hit != null) {
            return hit;
        }
        ChainCheck.Result r = ChainCheck.check(ark, mid, leaf, options.checkValidityAt());
        if (verifiedChains.size() >= CHAIN_CACHE_SIZE) {
            verifiedChains.clear();
        }
        verifiedChains.put(key, r);
        return r;
    }

    private static AttestationReport decode(byte[] bytes) throws Rejected {
        if (bytes == null || bytes.length != AttestationReport.SIZE) {
            throw new Rejected(Reason.MALFORMED, String.format(Locale.ROOT, "report is %d bytes (expected: 0x%x)",
                    bytes == null ? 0 : bytes.length, AttestationReport.SIZE));
        }
        int algo = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(SIGNATURE_ALGO_OFFSET);
        if (algo != AttestationReport.ECDSA_P384_SHA384) {
            throw new Rejected(Reason.UNSUPPORTED_ALGORITHM, String.format(Locale.ROOT,
                    "signature_algo at 0x%x is %d (expected: 1, ecdsa p-384 with sha-384)", SIGNATURE_ALGO_OFFSET,
                    Integer.toUnsignedLong(algo)));
        }
        try {
            return AttestationReport.decode(bytes);
        } catch (AbiException e) {
            throw new Rejected(Reason.MALFORMED, e.getMessage());
        }
    }

    private static X509Certificate entry(CertTable table, UUID guid, boolean required) throws Rejected {
        Optional<byte[]> der = table.find(guid);
        if (der.isEmpty()) {
            if (required) {
                throw new Rejected(Reason.MISSING_CERTIFICATE, "table has no " + CertGuid.nameOf(guid) + " entry ("
                        + guid + ")");
            }
            return null;
        }
        try {
            return CertificateFiles.read(der.get());
        } catch (AbiException e) {
            throw new Rejected(Reason.MALFORMED, "table's " + CertGuid.nameOf(guid) + " entry: " + e.getMessage());
        }
    }

    private static KdsExtensions extensions(X509Certificate leaf) throws Rejected {
        try {
            return KdsExtensions.read(leaf);
        } catch (AbiException e) {
            throw new Rejected(Reason.MALFORMED, "'" + ChainCheck.commonName(leaf) + "' extensions: " + e.getMessage());
        }
    }

    private void checkProduct(AttestationReport report, Product chainProduct, KdsExtensions ext) throws Rejected {
        Product leafProduct;
        try {
            leafProduct = Product.parse(ext.productName());
        } catch (AbiException e) {
            throw new Rejected(Reason.PRODUCT_MISMATCH, "leaf product name '" + ext.productName() + "' is unknown");
        }
        if (leafProduct != chainProduct) {
            throw new Rejected(Reason.PRODUCT_MISMATCH, "leaf product name '" + ext.productName()
                    + "' but the chain is " + name(chainProduct));
        }
        if (options.product().isPresent() && options.product().get() != chainProduct) {
            throw new Rejected(Reason.PRODUCT_MISMATCH, "expected product " + name(options.product().get())
                    + " but the chain is " + name(chainProduct));
        }
        Product cpuid = report.productFromCpuid();
        if (cpuid != null && cpuid != chainProduct) {
            throw new Rejected(Reason.PRODUCT_MISMATCH, String.format(Locale.ROOT,
                    "report cpuid family 0x%x model 0x%x is %s but the chain is %s", report.cpuidFamId(),
                    report.cpuidModId(), name(cpuid), name(chainProduct)));
        }
    }

    private static void checkKeyKind(AttestationReport report, Intermediate mid, KdsExtensions ext) throws Rejected {
        SigningKey bits = report.signerInfo().signingKey();
        boolean leafIsVlek = ext.cspId() != null;
        String leafKind = leafIsVlek ? "vlek" : "vcek";
        if (bits == SigningKey.NONE) {
            throw new Rejected(Reason.WRONG_KEY_KIND, "report signing_key is none (7): the report is not signed");
        }
        if ((bits == SigningKey.VLEK) != leafIsVlek) {
            throw new Rejected(Reason.WRONG_KEY_KIND, "report signing_key is " + bits.name().toLowerCase(Locale.ROOT)
                    + " (" + bits.code() + ") but the leaf certificate is a " + leafKind);
        }
        if (leafIsVlek ? mid != Intermediate.ASVK : mid != Intermediate.ASK) {
            throw new Rejected(Reason.WRONG_KEY_KIND, "a " + leafKind + " must be issued by the "
                    + (leafIsVlek ? "asvk" : "ask") + ", not the " + mid.name().toLowerCase(Locale.ROOT));
        }
        if (!leafIsVlek && ext.hwId() == null) {
            throw new Rejected(Reason.WRONG_KEY_KIND, "vcek certificate has no hwid extension "
                    + KdsExtensions.HW_ID);
        }
    }

    private static void checkTcb(AttestationReport report, Product product, KdsExtensions ext) throws Rejected {
        long certTcb;
        try {
            certTcb = ext.tcbRaw(product);
        } catch (AbiException e) {
            throw new Rejected(Reason.TCB_MISMATCH, e.getMessage());
        }
        long reported = report.reportedTcb().raw();
        if (certTcb != reported) {
            StringBuilder diff = new StringBuilder();
            var reportedSpls = KdsExtensions.splsOf(product, reported);
            var certSpls = KdsExtensions.splsOf(product, certTcb);
            for (var e : certSpls.entrySet()) {
                int r = reportedSpls.get(e.getKey());
                if (r != e.getValue()) {
                    diff.append(diff.length() == 0 ? "" : ", ").append(KdsExtensions.splName(e.getKey()))
                            .append(' ').append(e.getValue()).append(" != ").append(r);
                }
            }
            throw new Rejected(Reason.TCB_MISMATCH, String.format(Locale.ROOT,
                    "certificate spls 0x%016x != reported_tcb 0x%016x (certificate vs report: %s)", certTcb, reported,
                    diff));
        }
    }

    private void checkChipId(AttestationReport report, Product product, KdsExtensions ext) throws Rejected {
        if (ext.hwId() == null || !options.requireHwIdMatch()) {
            return;
        }
        byte[] chipId = report.chipId();
        if (Arrays.equals(chipId, new byte[chipId.length])) {
            return; // MASK_CHIP_ID: firmware reports zeros, nothing to compare
        }
        int size = product.hasFmc() ? KdsExtensions.TURIN_HW_ID_SIZE : KdsExtensions.HW_ID_SIZE;
        byte[] expected = Arrays.copyOf(ext.hwId(), chipId.length);
        if (ext.hwId().length != size || !Arrays.equals(chipId, expected)) {
            throw new Rejected(Reason.CHIP_ID_MISMATCH, "vcek hwid " + Hex.of(ext.hwId()) + " != chip_id "
                    + Hex.of(Arrays.copyOf(chipId, Math.max(size, lastNonZero(chipId)))));
        }
    }

    private static int lastNonZero(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return n;
    }

    private static String name(Product p) {
        return p.displayName().toLowerCase(Locale.ROOT);
    }
}
