package dev.snpsim.abi.report;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import java.util.Arrays;

/**
 * The SEV-SNP attestation report (SNP ABI spec, Table "ATTESTATION_REPORT Structure";
 * SPEC.md section 7): 0x4A0 bytes, little-endian, signed over bytes 0x000..0x29F.
 *
 * <pre>
 *  0x000 VERSION u32          0x0E0 ID_KEY_DIGEST[48]     0x1E8 CURRENT_BUILD/MINOR/MAJOR u8
 *  0x004 GUEST_SVN u32        0x110 AUTHOR_KEY_DIGEST[48] 0x1EC COMMITTED_BUILD/MINOR/MAJOR u8
 *  0x008 POLICY u64           0x140 REPORT_ID[32]         0x1F0 LAUNCH_TCB u64
 *  0x010 FAMILY_ID[16]        0x160 REPORT_ID_MA[32]      0x1F8 LAUNCH_MIT_VECTOR u64 (v5)
 *  0x020 IMAGE_ID[16]         0x180 REPORTED_TCB u64      0x200 CURRENT_MIT_VECTOR u64 (v5)
 *  0x030 VMPL u32             0x188 CPUID_FAM/MOD/STEP u8 (v3) 0x208..0x29F reserved
 *  0x034 SIGNATURE_ALGO u32   0x1A0 CHIP_ID[64]           0x2A0 SIGNATURE[512]
 *  0x038 CURRENT_TCB u64      0x1E0 COMMITTED_TCB u64
 *  0x040 PLATFORM_INFO u64
 *  0x048 signer info u32, 0x04C reserved, 0x050 REPORT_DATA[64], 0x090 MEASUREMENT[48],
 *  0x0C0 HOST_DATA[32]
 * </pre>
 *
 * Versions 2 to 5 are accepted. The CPUID fields exist since version 3 and must be zero
 * before; the mitigation vectors exist since version 5 and must be zero before. Byte
 * arrays are copied in and out, and equality compares contents (the encoded bytes).
 * u32 fields are held in {@code int} and u64 fields in {@code long}: read them unsigned.
 */
public record AttestationReport(
        int version,
        int guestSvn,
        GuestPolicy policy,
        byte[] familyId,
        byte[] imageId,
        int vmpl,
        int signatureAlgo,
        TcbVersion currentTcb,
        PlatformInfo platformInfo,
        SignerInfo signerInfo,
        byte[] reportData,
        byte[] measurement,
        byte[] hostData,
        byte[] idKeyDigest,
        byte[] authorKeyDigest,
        byte[] reportId,
        byte[] reportIdMa,
        TcbVersion reportedTcb,
        int cpuidFamId,
        int cpuidModId,
        int cpuidStep,
        byte[] chipId,
        TcbVersion committedTcb,
        int currentBuild,
        int currentMinor,
        int currentMajor,
        int committedBuild,
        int committedMinor,
        int committedMajor,
        TcbVersion launchTcb,
        long launchMitVector,
        long currentMitVector,
        ReportSignature signature) {

    /** Size of an encoded report. */
    public static final int SIZE = ReportLayout.REPORT_SIZE;
    /** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384, the only one defined. */
    public static final int ECDSA_P384_SHA384 = 1;
    /** Highest VMPL a guest request can name. */
    public static final int MAX_VMPL = 3;

    public AttestationReport {
        if (version < ReportLayout.MIN_VERSION || version > ReportLayout.MAX_VERSION) {
            throw AbiException.of("report version is %d (expected: %d..%d)",
                    Integer.toUnsignedLong(version), ReportLayout.MIN_VERSION, ReportLayout.MAX_VERSION);
        }
        requireNonNull(policy, "policy");
        requireNonNull(currentTcb, "current_tcb");
        requireNonNull(platformInfo, "platform_info");
        requireNonNull(signerInfo, "signer_info");
        requireNonNull(reportedTcb, "reported_tcb");
        requireNonNull(committedTcb, "committed_tcb");
        requireNonNull(launchTcb, "launch_tcb");
        requireNonNull(signature, "signature");
        if (vmpl < 0 || vmpl > MAX_VMPL) {
            throw AbiException.of("vmpl is %d (expected: 0..%d)", Integer.toUnsignedLong(vmpl), MAX_VMPL);
        }
        if (signatureAlgo != ECDSA_P384_SHA384) {
            throw AbiException.of("signature_algo is %d (expected: 1, ecdsa p-384 with sha-384)",
                    Integer.toUnsignedLong(signatureAlgo));
        }
        familyId = copy(familyId, ReportLayout.FAMILY_ID_SIZE, "family_id");
        imageId = copy(imageId, ReportLayout.IMAGE_ID_SIZE, "image_id");
        reportData = copy(reportData, ReportLayout.REPORT_DATA_SIZE, "report_data");
        measurement = copy(measurement, ReportLayout.MEASUREMENT_SIZE, "measurement");
        hostData = copy(hostData, ReportLayout.HOST_DATA_SIZE, "host_data");
        idKeyDigest = copy(idKeyDigest, ReportLayout.ID_KEY_DIGEST_SIZE, "id_key_digest");
        authorKeyDigest = copy(authorKeyDigest, ReportLayout.AUTHOR_KEY_DIGEST_SIZE, "author_key_digest");
        reportId = copy(reportId, ReportLayout.REPORT_ID_SIZE, "report_id");
        reportIdMa = copy(reportIdMa, ReportLayout.REPORT_ID_MA_SIZE, "report_id_ma");
        chipId = copy(chipId, ReportLayout.CHIP_ID_SIZE, "chip_id");
        requireU8(cpuidFamId, "cpuid_fam_id");
        requireU8(cpuidModId, "cpuid_mod_id");
        requireU8(cpuidStep, "cpuid_step");
        requireU8(currentBuild, "current_build");
        requireU8(currentMinor, "current_minor");
        requireU8(currentMajor, "current_major");
        requireU8(committedBuild, "committed_build");
        requireU8(committedMinor, "committed_minor");
        requireU8(committedMajor, "committed_major");
        if (version < ReportLayout.VERSION_CPUID && (cpuidFamId | cpuidModId | cpuidStep) != 0) {
            throw AbiException.of("cpuid fields are set in a version %d report (they exist since version 3)", version);
        }
        if (version < ReportLayout.VERSION_MIT_VECTOR && (launchMitVector | currentMitVector) != 0) {
            throw AbiException.of("mitigation vectors are set in a version %d report (they exist since version 5)",
                    version);
        }
    }

    /** Decodes and checks a report; see {@link ReportCodec#decode}. */
    public static AttestationReport decode(byte[] bytes) {
        return ReportCodec.decode(bytes);
    }

    /**
     * Checks {@code bytes} exactly as {@link #decode} does (same checks, same
     * {@link AbiException} messages) without building the report. Bytes that pass are a
     * canonical encoding: {@code decode(bytes).encode()} equals {@code bytes}, so their first
     * 0x2A0 bytes are the report's {@link #signedBytes()}.
     */
    public static void validate(byte[] bytes) {
        ReportCodec.validate(bytes);
    }

    /** The 0x4A0-byte encoding. */
    public byte[] encode() {
        return ReportCodec.encode(this);
    }

    /**
     * Writes the 0x4A0-byte encoding into {@code dst} at {@code offset} (the bytes written equal
     * {@link #encode()}), for callers that frame the report in a larger buffer without copying
     * it again. Fails with an {@link AbiException} if it does not fit.
     */
    public void encodeInto(byte[] dst, int offset) {
        if (dst == null || offset < 0 || dst.length - offset < SIZE) {
            throw AbiException.of("report needs 0x%x bytes at offset %d of a %s-byte buffer", SIZE, offset,
                    dst == null ? "missing" : String.valueOf(dst.length));
        }
        ReportCodec.encodeSigned(this, dst, offset);
        signature.encodeInto(dst, offset + ReportLayout.SIGNATURE);
    }

    /** The bytes the signature covers: 0x000..0x29F. */
    public byte[] signedBytes() {
        byte[] b = new byte[ReportLayout.SIGNATURE];
        ReportCodec.encodeSigned(this, b, 0);
        return b;
    }

    /** The same report with another signature. */
    public AttestationReport withSignature(ReportSignature newSignature) {
        // the canonical constructor copies the arrays once; no builder round trip (which copied them twice more)
        return new AttestationReport(version, guestSvn, policy, familyId, imageId, vmpl, signatureAlgo, currentTcb,
                platformInfo, signerInfo, reportData, measurement, hostData, idKeyDigest, authorKeyDigest, reportId,
                reportIdMa, reportedTcb, cpuidFamId, cpuidModId, cpuidStep, chipId, committedTcb, currentBuild,
                currentMinor, currentMajor, committedBuild, committedMinor, committedMajor, launchTcb,
                launchMitVector, currentMitVector, newSignature);
    }

    /** A builder with defaults: zeros, version 3, ECDSA P-384, default policy, VCEK signer. */
    public static ReportBuilder builder() {
        return new ReportBuilder();
    }

    /** A builder holding this report's values. */
    public ReportBuilder toBuilder() {
        return new ReportBuilder(this);
    }

    /** The product named by the CPUID fields (version 3+), or null where not known. */
    public Product productFromCpuid() {
        if (version < ReportLayout.VERSION_CPUID) {
            return null;
        }
        return Product.fromCpuid(cpuidFamId, cpuidModId);
    }

    @Override
    public byte[] familyId() {
        return familyId.clone();
    }

    @Override
    public byte[] imageId() {
        return imageId.clone();
    }

    @Override
    public byte[] reportData() {
        return reportData.clone();
    }

    @Override
    public byte[] measurement() {
        return measurement.clone();
    }

    @Override
    public byte[] hostData() {
        return hostData.clone();
    }

    @Override
    public byte[] idKeyDigest() {
        return idKeyDigest.clone();
    }

    @Override
    public byte[] authorKeyDigest() {
        return authorKeyDigest.clone();
    }

    @Override
    public byte[] reportId() {
        return reportId.clone();
    }

    @Override
    public byte[] reportIdMa() {
        return reportIdMa.clone();
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }

    // ---- no-copy reads for the codec: the record's own arrays, never handed outside the package ----

    byte[] familyIdRef() {
        return familyId;
    }

    byte[] imageIdRef() {
        return imageId;
    }

    byte[] reportDataRef() {
        return reportData;
    }

    byte[] measurementRef() {
        return measurement;
    }

    byte[] hostDataRef() {
        return hostData;
    }

    byte[] idKeyDigestRef() {
        return idKeyDigest;
    }

    byte[] authorKeyDigestRef() {
        return authorKeyDigest;
    }

    byte[] reportIdRef() {
        return reportId;
    }

    byte[] reportIdMaRef() {
        return reportIdMa;
    }

    byte[] chipIdRef() {
        return chipId;
    }

    /** Equal when the encodings are equal, byte for byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AttestationReport other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "AttestationReport[version=" + version + ", guestSvn=" + Integer.toUnsignedString(guestSvn)
                + ", policy=" + policy + ", familyId=" + Hex.of(familyId) + ", imageId=" + Hex.of(imageId)
                + ", vmpl=" + vmpl + ", signatureAlgo=" + signatureAlgo + ", currentTcb=" + currentTcb
                + ", platformInfo=" + platformInfo + ", signerInfo=" + signerInfo
                + ", reportData=" + Hex.of(reportData) + ", measurement=" + Hex.of(measurement)
                + ", hostData=" + Hex.of(hostData) + ", idKeyDigest=" + Hex.of(idKeyDigest)
                + ", authorKeyDigest=" + Hex.of(authorKeyDigest) + ", reportId=" + Hex.of(reportId)
                + ", reportIdMa=" + Hex.of(reportIdMa) + ", reportedTcb=" + reportedTcb
                + ", cpuid=" + String.format("%02x/%02x/%02x", cpuidFamId, cpuidModId, cpuidStep)
                + ", chipId=" + Hex.of(chipId) + ", committedTcb=" + committedTcb
                + ", current=" + currentMajor + "." + currentMinor + "." + currentBuild
                + ", committed=" + committedMajor + "." + committedMinor + "." + committedBuild
                + ", launchTcb=" + launchTcb
                + ", launchMitVector=" + String.format("0x%x", launchMitVector)
                + ", currentMitVector=" + String.format("0x%x", currentMitVector)
                + ", signature=" + signature + "]";
    }

    private static byte[] copy(byte[] b, int size, String field) {
        if (b == null) {
            throw AbiException.of("%s is missing (expected: %d bytes)", field, size);
        }
        if (b.length != size) {
            throw AbiException.of("%s is %d bytes (expected: %d)", field, b.length, size);
        }
        return b.clone();
    }

    private static void requireU8(int v, String field) {
        if (v < 0 || v > 0xff) {
            throw AbiException.of("%s is %d (expected: 0..255)", field, v);
        }
    }

    private static void requireNonNull(Object o, String field) {
        if (o == null) {
            throw AbiException.of("%s is missing", field);
        }
    }
}
