package dev.snpsim.guest.rp;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.KdsExtensions;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict;
import dev.snpsim.abi.verify.Verdict.Reason;
import dev.snpsim.sim.offload.Offload;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Verifies reports for the tenants of one host, trusting one ARK.
 *
 * <p>The first report seen with a given (ASK/ASVK, leaf) pair goes through the full
 * {@link ReportVerifier}; when it verifies, the pair is cached by the SHA-256 of its DER bytes so
 * later reports skip the RSA chain checks and only get the per-report checks (key kind, CPUID
 * product, ECDSA signature, TCB against the leaf's SPLs, chip id). Any report the fast path does
 * not accept goes through the full verifier, so every rejection carries the verifier's own
 * reason. {@link #check} is thread-safe (the cache is synchronized); {@link #checkLater} and
 * {@link #flush} belong to one thread, the simulation's.
 */
public final class RelyingParty {
    private static final int CACHE_SIZE = 4096;

    private final X509Certificate trustedArk;
    private final byte[] trustedArkDer;
    private volatile ChainMemo lastChain; // the last chain key computed, read and written by workers too
    private final ReportVerifier verifier;
    private final Map<String, Leaf> chains = new LinkedHashMap<>(64, 0.75f, false) { // insertion order: reads from workers must not reorder it
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Leaf> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private long fullVerifications;
    private final Offload offload;
    private final int lag;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** Compared against, never written to. */
    private static final byte[] ZERO_64 = new byte[64];

    /**
     * A verified leaf: its key, kind, SPLs as a TCB and hwID, under a chain of {@code product};
     * {@code chipId} is the hwID zero-padded (or cut) to CHIP_ID's 64 bytes, as the per-report check
     * compares it (null with no hwID).
     */
    private record Leaf(ECPublicKey key, boolean vlek, long tcb, byte[] hwId, Product product, byte[] chipId) {
        Leaf(ECPublicKey key, boolean vlek, long tcb, byte[] hwId, Product product) {
            this(key, vlek, tcb, hwId, product, hwId == null ? null : Arrays.copyOf(hwId, 64));
        }
    }

    public RelyingParty(X509Certificate trustedArk, ReportVerifier verifier) {
        this(trustedArk, verifier, Offload.inline(), 0);
    }

    /**
     * A relying party whose {@link #checkLater} checks signatures on {@code offload} and lets up
     * to {@code lag} verdicts wait (see there).
     */
    public RelyingParty(X509Certificate trustedArk, ReportVerifier verifier, Offload offload, int lag) {
        if (lag < 0) {
            throw new IllegalArgumentException("verdict lag is " + lag + " (expected: >= 0)");
        }
        this.trustedArk = trustedArk;
        try {
            this.trustedArkDer = trustedArk.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("trusted ARK cannot be encoded: " + e.getMessage(), e);
        }
        this.verifier = verifier;
        this.offload = offload;
        this.lag = lag;
    }

    public RelyingParty(X509Certificate trustedArk) {
        this(trustedArk, ReportVerifier.withDefaults());
    }

    /** How many reports went through the full verifier (chain included) so far. */
    public synchronized long fullVerifications() {
        return fullVerifications;
    }

    /**
     * Checks one report against a certificate table (from an extended request, or the guest's
     * cache) and the nonce the request put in REPORT_DATA.
     *
     * @param table the certificates, or null when the guest has none
     */
    public Check check(byte[] nonce, byte[] report, CertTable table) {
        if (table == null) {
            return noCertificates();
        }
        String chainKey = chainKey(report, table);
        Leaf leaf = chainKey == null ? null : cached(chainKey);
        return conclude(nonce, report, table, chainKey, leaf != null && fastAccept(report, leaf) ? leaf : null);
    }

    /**
     * Like {@link #check}, but the verdict reaches {@code apply} later, in submission order: the
     * signature check runs on the {@link Offload} pool meanwhile, and a verdict is applied once
     * more than {@code lag} checks are pending, or at {@link #flush}. Everything that decides the
     * verdict (the chain cache, a full verification) happens at that point, on the calling
     * thread, so where and when the signature was checked never shows. With a lag of 0 (the
     * default) {@code apply} runs at once. Single-threaded: call it from the simulation thread.
     *
     * @param apply what the caller does with the verdict (its counters and trace, stamped with
     *              the time of the answer, not of the verdict)
     */
    public void checkLater(byte[] nonce, byte[] report, CertTable table, Consumer<Check> apply) {
        checkLater(nonce, () -> report, table, apply);
    }

    /**
     * As {@link #checkLater(byte[], byte[], CertTable, Consumer)}, with the report's bytes
     * asked for when first needed: on a worker with the signature check, or at the verdict (a
     * report still being signed and sealed is not waited for here).
     */
    public void checkLater(byte[] nonce, Supplier<byte[]> report, CertTable table, Consumer<Check> apply) {
        if (lag == 0) {
            apply.accept(check(nonce, report.get(), table));
            return;
        }
        Offload.Task<Ahead> ahead = table == null ? null : offload.submit(() -> {
            byte[] bytes = report.get();
            String key = chainKey(bytes, table);
            Leaf leaf = key == null ? null : cached(key);
            return new Ahead(key, leaf, leaf != null && fastAccept(bytes, leaf));
        }, false);
        pending.addLast(new Pending(nonce, report, table, ahead, apply));
        while (pending.size() > lag) {
            complete(pending.removeFirst());
        }
    }

    /** Applies every pending verdict, in submission order. Call before reading the callers' figures. */
    public void flush() {
        while (!pending.isEmpty()) {
            complete(pending.removeFirst());
        }
    }

    /** How many verdicts {@link #checkLater} holds back. */
    public int pending() {
        return pending.size();
    }

    /** The chain key, the cached leaf a worker saw for it, and whether the report passed against that leaf. */
    private record Ahead(String chainKey, Leaf leaf, boolean fastOk) {
    }

    private record Pending(byte[] nonce, Supplier<byte[]> report, CertTable table, Offload.Task<Ahead> ahead,
                           Consumer<Check> apply) {
    }

    private void complete(Pending p) {
        Check c;
        if (p.table() == null) {
            c = noCertificates();
        } else {
            Ahead a = p.ahead().join();
            Leaf now = a.chainKey() == null ? null : cached(a.chainKey());
            // the worker's answer counts only if it was checked against the leaf cached now
            byte[] report = p.report().get();
            boolean fast = now != null && (now == a.leaf() ? a.fastOk() : fastAccept(report, now));
            c = conclude(p.nonce(), report, p.table(), a.chainKey(), fast ? now : null);
        }
        p.apply().accept(c);
    }

    private static Check noCertificates() {
        return new Check(Outcome.NO_CERTIFICATES, null, "plain report and no cached certificate table");
    }

    /**
     * The verdict; {@code accepted} is the cached leaf the per-report checks passed against, or
     * null when they did not pass (or no chain was cached).
     */
    private Check conclude(byte[] nonce, byte[] report, CertTable table, String chainKey, Leaf accepted) {
        Verdict verdict = null;
        if (accepted != null) {
            verdict = new Verdict(Reason.OK, "verified with the cached chain", null, accepted.product());
        }
        if (verdict == null) {
            verdict = verifier.verify(report, table, trustedArk);
            synchronized (this) {
                fullVerifications++;
            }
            if (verdict.ok() && chainKey != null) {
                remember(chainKey, table, verdict);
            }
        }
        if (!verdict.ok()) {
            Outcome o = switch (verdict.reason()) {
                case BAD_SIGNATURE, TCB_MISMATCH, WRONG_KEY_KIND, CHIP_ID_MISMATCH -> Outcome.STALE_CERTIFICATE;
                default -> Outcome.REJECTED;
            };
            return new Check(o, verdict, verdict.toString());
        }
        if (!reportDataIs(report, nonce)) {
            byte[] got = Arrays.copyOfRange(report, 0x50, 0x90);
            return new Check(Outcome.NONCE_MISMATCH, verdict, "report_data at 0x50 is " + HexFormat.of().formatHex(got)
                    + " (expected: this request's nonce " + HexFormat.of().formatHex(nonce) + ")");
        }
        return new Check(Outcome.VERIFIED, verdict, verdict.detail());
    }

    /**
     * True if REPORT_DATA (0x50..0x8F) equals the nonce zero-padded or cut to 64 bytes, compared
     * in place (no copies: this runs for every report).
     */
    private static boolean reportDataIs(byte[] report, byte[] nonce) {
        int n = Math.min(nonce.length, 64);
        return Arrays.equals(report, 0x50, 0x50 + n, nonce, 0, n)
                && Arrays.equals(report, 0x50 + n, 0x90, ZERO_64, 0, 64 - n);
    }

    private synchronized Leaf cached(String key) {
        return chains.get(key);
    }

    private void remember(String key, CertTable table, Verdict verdict) {
        AttestationReport r = verdict.report();
        boolean vlek = r.signerInfo().signingKey() == SigningKey.VLEK;
        X509Certificate cert = CertificateFiles.read(table.find(vlek ? CertGuid.VLEK : CertGuid.VCEK).orElseThrow());
        KdsExtensions ext = KdsExtensions.read(cert);
        Leaf leaf = new Leaf((ECPublicKey) cert.getPublicKey(), vlek, ext.tcbRaw(verdict.product()), ext.hwId(),
                verdict.product());
        synchronized (this) {
            chains.put(key, leaf);
        }
    }

    private static boolean fastAccept(byte[] bytes, Leaf leaf) {
        if (bytes == null || bytes.length != AttestationReport.SIZE) {
            return false;
        }
        AttestationReport r;
        try {
            r = AttestationReport.decode(bytes);
        } catch (AbiException e) {
            return false;
        }
        if (r.signatureAlgo() != AttestationReport.ECDSA_P384_SHA384) {
            return false;
        }
        SigningKey sk = r.signerInfo().signingKey();
        if (sk == SigningKey.NONE || (sk == SigningKey.VLEK) != leaf.vlek()) {
            return false;
        }
        Product cpuid = r.productFromCpuid();
        if (cpuid != null && cpuid != leaf.product()) {
            return false;
        }
        if (r.reportedTcb().raw() != leaf.tcb()) {
            return false;
        }
        if (leaf.hwId() != null) {
            byte[] chip = r.chipId();
            boolean masked = Arrays.equals(chip, ZERO_64);
            if (!masked && !Arrays.equals(chip, leaf.chipId())) {
                return false;
            }
        }
        // the bytes decoded, so they are the report's canonical encoding: the signature is checked
        // over them as received (0x000..0x29F), not over a re-encoding
        return ReportSigner.verifyEncoded(bytes, leaf.key());
    }

    /** A chain key and the certificates it was computed from (never modified). */
    private record ChainMemo(boolean vlek, byte[] ark, byte[] ask, byte[] leaf, String key) {
    }

    /**
     * SHA-256 over the trusted ARK, the table's ARK, ASK and the leaf the report names; null if
     * absent. The certificates of one host rarely change, so a table holding the same
     * certificates as the last one gets the last key without hashing them again.
     */
    private String chainKey(byte[] report, CertTable table) {
        if (report == null || report.length != AttestationReport.SIZE) {
            return null;
        }
        int signerInfo = ByteBuffer.wrap(report, 0x48, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        boolean vlek = ((signerInfo >>> 2) & 7) == SigningKey.VLEK.code();
        UUID leafGuid = vlek ? CertGuid.VLEK : CertGuid.VCEK;
        ChainMemo m = lastChain;
        if (m != null && m.vlek() == vlek && table.entryEquals(leafGuid, m.leaf())
                && table.entryEquals(CertGuid.ASK, m.ask()) && table.entryEquals(CertGuid.ARK, m.ark())) {
            return m.key();
        }
        Optional<byte[]> leaf = table.find(leafGuid);
        Optional<byte[]> ask = table.find(CertGuid.ASK);
        if (leaf.isEmpty() || ask.isEmpty()) {
            return null;
        }
        byte[] ark = table.find(CertGuid.ARK).orElse(null);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(trustedArkDer);
            byte[] a = ark == null ? new byte[0] : ark;
            md.update(ByteBuffer.allocate(4).putInt(a.length).array());
            md.update(a);
            md.update(ask.get());
            md.update(leaf.get());
            String key = HexFormat.of().formatHex(md.digest());
            lastChain = new ChainMemo(vlek, ark, ask.get(), leaf.get(), key);
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash certificate chain: " + e.getMessage(), e);
        }
    }
}
