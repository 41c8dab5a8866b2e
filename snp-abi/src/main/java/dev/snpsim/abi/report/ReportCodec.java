package dev.snpsim.abi.report;

import static dev.snpsim.abi.report.ReportLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/** Byte-level decode and encode of {@link AttestationReport}, with every range check. */
final class ReportCodec {
    private ReportCodec() {
    }

    /**
     * Checks an encoded report as {@link #decode} does, in the same order and with the same
     * messages, without building it. Allocates nothing on success but the policy and signer
     * info values it checks. Bytes this accepts re-encode to themselves:
     * {@code encode(decode(b))} equals {@code b} (every byte is either a field that decodes
     * and encodes losslessly or a reserved byte checked to be zero).
     */
    static void validate(byte[] b) {
        LeBytes.requireLength(b, REPORT_SIZE, "report");
        int version = LeBytes.u32(b, VERSION);
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw AbiException.of("report version at 0x%x is %d (expected: %d..%d)",
                    VERSION, Integer.toUnsignedLong(version), MIN_VERSION, MAX_VERSION);
        }
        policyOf(b);
        int vmpl = LeBytes.u32(b, VMPL);
        if (vmpl < 0 || vmpl > AttestationReport.MAX_VMPL) {
            throw AbiException.of("vmpl at 0x%x is %d (expected: 0..3)", VMPL, Integer.toUnsignedLong(vmpl));
        }
        int algo = LeBytes.u32(b, SIGNATURE_ALGO);
        if (algo != AttestationReport.ECDSA_P384_SHA384) {
            throw AbiException.of("signature_algo at 0x%x is %d (expected: 1, ecdsa p-384 with sha-384)",
                    SIGNATURE_ALGO, Integer.toUnsignedLong(algo));
        }
        signerInfoOf(b);
        requireZero(b, RESERVED_4C, REPORT_DATA, "report reserved after signer info");
        boolean hasCpuid = version >= VERSION_CPUID;
        requireZero(b, hasCpuid ? RESERVED_18B : CPUID_FAM_ID, CHIP_ID,
                hasCpuid ? "report reserved before chip_id" : "report reserved before chip_id (version 2)");
        requireZero(b, RESERVED_1EB, RESERVED_1EB + 1, "report reserved after current_major");
        requireZero(b, RESERVED_1EF, RESERVED_1EF + 1, "report reserved after committed_major");
        boolean hasMit = version >= VERSION_MIT_VECTOR;
        requireZero(b, hasMit ? RESERVED_208 : LAUNCH_MIT_VECTOR, SIGNATURE,
                hasMit ? "report reserved before signature" : "report reserved before signature (version < 5)");
        requireZero(b, SIGNATURE + SIG_RESERVED, REPORT_SIZE, "report signature reserved tail");
    }

    /**
     * Decodes a report. Checks, naming the offset: the length (0x4A0), VERSION (2..5), the
     * policy's reserved bits, VMPL (0..3), SIGNATURE_ALGO (1), the signer info's reserved
     * bits and SIGNING_KEY, and every reserved range: 0x04C..0x050, 0x188 (v2) or 0x18B
     * (v3+) ..0x1A0, 0x1EB, 0x1EF, 0x1F8 (v2-4) or 0x208 (v5) ..0x2A0, and the signature's
     * tail 0x330..0x4A0.
     */
    static AttestationReport decode(byte[] b) {
        validate(b);
        int version = LeBytes.u32(b, VERSION);
        boolean hasCpuid = version >= VERSION_CPUID;
        boolean hasMit = version >= VERSION_MIT_VECTOR;
        ReportSignature signature = ReportSignature.read(b, SIGNATURE);

        return new AttestationReport(
                version,
                LeBytes.u32(b, GUEST_SVN),
                policyOf(b),
                LeBytes.slice(b, FAMILY_ID, FAMILY_ID_SIZE),
                LeBytes.slice(b, IMAGE_ID, IMAGE_ID_SIZE),
                LeBytes.u32(b, VMPL),
                LeBytes.u32(b, SIGNATURE_ALGO),
                new TcbVersion(LeBytes.u64(b, CURRENT_TCB)),
                new PlatformInfo(LeBytes.u64(b, PLATFORM_INFO)),
                signerInfoOf(b),
                LeBytes.slice(b, REPORT_DATA, REPORT_DATA_SIZE),
                LeBytes.slice(b, MEASUREMENT, MEASUREMENT_SIZE),
                LeBytes.slice(b, HOST_DATA, HOST_DATA_SIZE),
                LeBytes.slice(b, ID_KEY_DIGEST, ID_KEY_DIGEST_SIZE),
                LeBytes.slice(b, AUTHOR_KEY_DIGEST, AUTHOR_KEY_DIGEST_SIZE),
                LeBytes.slice(b, REPORT_ID, REPORT_ID_SIZE),
                LeBytes.slice(b, REPORT_ID_MA, REPORT_ID_MA_SIZE),
                new TcbVersion(LeBytes.u64(b, REPORTED_TCB)),
                hasCpuid ? LeBytes.u8(b, CPUID_FAM_ID) : 0,
                hasCpuid ? LeBytes.u8(b, CPUID_MOD_ID) : 0,
                hasCpuid ? LeBytes.u8(b, CPUID_STEP) : 0,
                LeBytes.slice(b, CHIP_ID, CHIP_ID_SIZE),
                new TcbVersion(LeBytes.u64(b, COMMITTED_TCB)),
                LeBytes.u8(b, CURRENT_BUILD),
                LeBytes.u8(b, CURRENT_MINOR),
                LeBytes.u8(b, CURRENT_MAJOR),
                LeBytes.u8(b, COMMITTED_BUILD),
                LeBytes.u8(b, COMMITTED_MINOR),
                LeBytes.u8(b, COMMITTED_MAJOR),
                new TcbVersion(LeBytes.u64(b, LAUNCH_TCB)),
                hasMit ? LeBytes.u64(b, LAUNCH_MIT_VECTOR) : 0,
                hasMit ? LeBytes.u64(b, CURRENT_MIT_VECTOR) : 0,
                signature);
    }

    /** Encodes a report; reserved ranges are zero. */
    static byte[] encode(AttestationReport r) {
        byte[] b = new byte[REPORT_SIZE];
        encodeSigned(r, b, 0);
        r.signature().encodeInto(b, SIGNATURE);
        return b;
    }

    /**
     * Writes the signed part of the encoding, bytes 0x000..0x29F, into {@code b} at
     * {@code at}, reserved bytes included (as zeros); the signature field is not touched.
     * Reads the report's arrays without copying them.
     */
    static void encodeSigned(AttestationReport r, byte[] b, int at) {
        if (at < 0 || b.length - at < SIGNATURE) {
            throw AbiException.of("report needs 0x%x bytes at 0x%x of a %d-byte buffer", SIGNATURE, at, b.length);
        }
        Arrays.fill(b, at, at + SIGNATURE, (byte) 0);
        LeBytes.putU32(b, at + VERSION, r.version());
        LeBytes.putU32(b, at + GUEST_SVN, r.guestSvn());
        LeBytes.putU64(b, at + POLICY, r.policy().raw());
        LeBytes.put(b, at + FAMILY_ID, r.familyIdRef(), FAMILY_ID_SIZE);
        LeBytes.put(b, at + IMAGE_ID, r.imageIdRef(), IMAGE_ID_SIZE);
        LeBytes.putU32(b, at + VMPL, r.vmpl());
        LeBytes.putU32(b, at + SIGNATURE_ALGO, r.signatureAlgo());
        LeBytes.putU64(b, at + CURRENT_TCB, r.currentTcb().raw());
        LeBytes.putU64(b, at + PLATFORM_INFO, r.platformInfo().raw());
        LeBytes.putU32(b, at + SIGNER_INFO, r.signerInfo().encode());
        LeBytes.put(b, at + REPORT_DATA, r.reportDataRef(), REPORT_DATA_SIZE);
        LeBytes.put(b, at + MEASUREMENT, r.measurementRef(), MEASUREMENT_SIZE);
        LeBytes.put(b, at + HOST_DATA, r.hostDataRef(), HOST_DATA_SIZE);
        LeBytes.put(b, at + ID_KEY_DIGEST, r.idKeyDigestRef(), ID_KEY_DIGEST_SIZE);
        LeBytes.put(b, at + AUTHOR_KEY_DIGEST, r.authorKeyDigestRef(), AUTHOR_KEY_DIGEST_SIZE);
        LeBytes.put(b, at + REPORT_ID, r.reportIdRef(), REPORT_ID_SIZE);
        LeBytes.put(b, at + REPORT_ID_MA, r.reportIdMaRef(), REPORT_ID_MA_SIZE);
        LeBytes.putU64(b, at + REPORTED_TCB, r.reportedTcb().raw());
        LeBytes.putU8(b, at + CPUID_FAM_ID, r.cpuidFamId());
        LeBytes.putU8(b, at + CPUID_MOD_ID, r.cpuidModId());
        LeBytes.putU8(b, at + CPUID_STEP, r.cpuidStep());
        LeBytes.put(b, at + CHIP_ID, r.chipIdRef(), CHIP_ID_SIZE);
        LeBytes.putU64(b, at + COMMITTED_TCB, r.committedTcb().raw());
        LeBytes.putU8(b, at + CURRENT_BUILD, r.currentBuild());
        LeBytes.putU8(b, at + CURRENT_MINOR, r.currentMinor());
        LeBytes.putU8(b, at + CURRENT_MAJOR, r.currentMajor());
        LeBytes.putU8(b, at + COMMITTED_BUILD, r.committedBuild());
        LeBytes.putU8(b, at + COMMITTED_MINOR, r.committedMinor());
        LeBytes.putU8(b, at + COMMITTED_MAJOR, r.committedMajor());
        LeBytes.putU64(b, at + LAUNCH_TCB, r.launchTcb().raw());
        LeBytes.putU64(b, at + LAUNCH_MIT_VECTOR, r.launchMitVector());
        LeBytes.putU64(b, at + CURRENT_MIT_VECTOR, r.currentMitVector());
    }

    private static GuestPolicy policyOf(byte[] b) {
        try {
            return new GuestPolicy(LeBytes.u64(b, POLICY));
        } catch (AbiException e) {
            throw new AbiException("field at 0x8: " + e.getMessage(), e);
        }
    }

    private static SignerInfo signerInfoOf(byte[] b) {
        try {
            return SignerInfo.decode(LeBytes.u32(b, SIGNER_INFO));
        } catch (AbiException e) {
            throw new AbiException("field at 0x48: " + e.getMessage(), e);
        }
    }

    /** {@link LeBytes#requireZero}, with the all-zero case (every valid report) tested vectorized first. */
    private static void requireZero(byte[] b, int from, int to, String what) {
        if (!LeBytes.isZero(b, from, to)) {
            LeBytes.requireZero(b, from, to, what);
        }
    }
}
