package dev.snpsim.bench.abi;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.P384;
import dev.snpsim.abi.keys.ProductRoots;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of one report's decode, sign, signature check and full relying-party
 * verification (chain of three RSASSA-PSS signatures + ECDSA + TCB and chip id checks),
 * and, as the yardstick, Bouncy Castle's own ECDSA P-384 signer ({@code ECDSASigner}) signing
 * and verifying the same 0x2A0 bytes with SHA-384 and RFC 6979 nonces: the same signatures
 * that {@code ReportSigner} computes with its in-place arithmetic ({@code P384Ecdsa}). Run with
 * {@code -prof gc} to see the bytes each allocates. Setup generates a Milan ARK and ASK
 * (RSA-4096, seconds) once per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReportCryptoBenchmark {
    private AttestationReport unsigned;
    private AttestationReport signed;
    private byte[] signedBytes;
    private byte[] encoded;
    private Vcek vcek;
    private ProductRoots roots;
    private ReportVerifier verifier;
    private ECPrivateKeyParameters bcPrivate;
    private ECPublicKeyParameters bcPublic;
    private BigInteger[] bcSignature;

    @Setup(Level.Trial)
    public void setUp() {
        Product p = Product.MILAN;
        TcbVersion tcb = TcbVersion.of(p, 0, 3, 0, 8, 0x73);
        byte[] chip = new byte[64];
        Arrays.fill(chip, (byte) 0x5a);
        KeyHierarchy h = KeyHierarchy.create(1);
        vcek = h.vcek(p, chip, tcb);
        roots = new ProductRoots(p, h.arkCertificate(p), h.askCertificate(p), null);
        byte[] data = new byte[64];
        Arrays.fill(data, (byte) 7);
        unsigned = AttestationReport.builder().cpuidOf(p).reportedTcb(tcb).currentTcb(tcb).committedTcb(tcb)
                .launchTcb(tcb).chipId(chip).reportData(data).signerInfo(SignerInfo.VCEK).build();
        signed = ReportSigner.sign(unsigned, vcek.privateKey());
        encoded = signed.encode();
        signedBytes = signed.signedBytes();
        verifier = ReportVerifier.withDefaults();
        Verdict v = verifier.verify(encoded, roots.ark(), roots.ask(), vcek.certificate());
        if (!v.ok()) {
            throw new IllegalStateException("benchmark report does not verify: " + v);
        }
        bcPrivate = P384.toParameters(vcek.privateKey());
        bcPublic = P384.toParameters(vcek.publicKey());
        bcSignature = bcSign();
    }

    @Benchmark
    public AttestationReport decode() {
        return AttestationReport.decode(encoded);
    }

    @Benchmark
    public AttestationReport sign() {
        return ReportSigner.sign(unsigned, vcek.privateKey());
    }

    @Benchmark
    public boolean verifySignature() {
        return ReportSigner.verifySignature(signed, vcek.publicKey());
    }

    @Benchmark
    public Verdict verifyReport() {
        return verifier.verify(encoded, roots.ark(), roots.ask(), vcek.certificate());
    }

    @Benchmark
    public BigInteger[] rawBcSign() {
        return bcSign();
    }

    @Benchmark
    public boolean rawBcVerify() {
        ECDSASigner v = new ECDSASigner();
        v.init(false, bcPublic);
        return v.verifySignature(sha384(signedBytes), bcSignature[0], bcSignature[1]);
    }

    private BigInteger[] bcSign() {
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA384Digest()));
        s.init(true, bcPrivate);
        return s.generateSignature(sha384(signedBytes));
    }

    private static byte[] sha384(byte[] data) {
        SHA384Digest d = new SHA384Digest();
        d.update(data, 0, data.length);
        byte[] h = new byte[48];
        d.doFinal(h, 0);
        return h;
    }
}
