package dev.snpsim.abi.report;

import dev.snpsim.abi.Product;

/**
 * Builds an {@link AttestationReport}; {@link #build()} runs the record's checks. Defaults:
 * every byte field and number zero, version 3, SIGNATURE_ALGO 1 (ECDSA P-384 SHA-384),
 * policy {@link GuestPolicy#DEFAULT}, signer {@link SignerInfo#VCEK}, a zero signature.
 * Byte arrays are copied when the report is built.
 *
 * <p>The builder holds the arrays it is given (and, from {@link AttestationReport#toBuilder},
 * the report's own) without copying or writing to them; {@link #build()} copies them once, into
 * the report. Unset fields share one zero array per size for the same reason.
 */
public final class ReportBuilder {
    private static final byte[] ZERO_16 = new byte[16];
    private static final byte[] ZERO_32 = new byte[32];
    private static final byte[] ZERO_48 = new byte[48];
    private static final byte[] ZERO_64 = new byte[64];

    private int version = 3;
    private int guestSvn = 0;
    private GuestPolicy policy = GuestPolicy.DEFAULT;
    private byte[] familyId = zeros(ReportLayout.FAMILY_ID_SIZE);
    private byte[] imageId = zeros(ReportLayout.IMAGE_ID_SIZE);
    private int vmpl = 0;
    private int signatureAlgo = AttestationReport.ECDSA_P384_SHA384;
    private TcbVersion currentTcb = TcbVersion.ZERO;
    private PlatformInfo platformInfo = PlatformInfo.NONE;
    private SignerInfo signerInfo = SignerInfo.VCEK;
    private byte[] reportData = zeros(ReportLayout.REPORT_DATA_SIZE);
    private byte[] measurement = zeros(ReportLayout.MEASUREMENT_SIZE);
    private byte[] hostData = zeros(ReportLayout.HOST_DATA_SIZE);
    private byte[] idKeyDigest = zeros(ReportLayout.ID_KEY_DIGEST_SIZE);
    private byte[] authorKeyDigest = zeros(ReportLayout.AUTHOR_KEY_DIGEST_SIZE);
    private byte[] reportId = zeros(ReportLayout.REPORT_ID_SIZE);
    private byte[] reportIdMa = zeros(ReportLayout.REPORT_ID_MA_SIZE);
    private TcbVersion reportedTcb = TcbVersion.ZERO;
    private int cpuidFamId = 0;
    private int cpuidModId = 0;
    private int cpuidStep = 0;
    private byte[] chipId = zeros(ReportLayout.CHIP_ID_SIZE);
    private TcbVersion committedTcb = TcbVersion.ZERO;
    private int currentBuild = 0;
    private int currentMinor = 0;
    private int currentMajor = 0;
    private int committedBuild = 0;
    private int committedMinor = 0;
    private int committedMajor = 0;
    private TcbVersion launchTcb = TcbVersion.ZERO;
    private long launchMitVector = 0;
    private long currentMitVector = 0;
    private ReportSignature signature = ReportSignature.zero();

    ReportBuilder() {
    }

    /** A shared all-zero array of one of the report's field sizes (never written to). */
    private static byte[] zeros(int size) {
        return switch (size) {
            case 16 -> ZERO_16;
            case 32 -> ZERO_32;
            case 48 -> ZERO_48;
            case 64 -> ZERO_64;
            default -> new byte[size];
        };
    }

    ReportBuilder(AttestationReport r) {
        this.version = r.version();
        this.guestSvn = r.guestSvn();
        this.policy = r.policy();
        this.familyId = r.familyIdRef();
        this.imageId = r.imageIdRef();
        this.vmpl = r.vmpl();
        this.signatureAlgo = r.signatureAlgo();
        this.currentTcb = r.currentTcb();
        this.platformInfo = r.platformInfo();
        this.signerInfo = r.signerInfo();
        this.reportData = r.reportDataRef();
        this.measurement = r.measurementRef();
        this.hostData = r.hostDataRef();
        this.idKeyDigest = r.idKeyDigestRef();
        this.authorKeyDigest = r.authorKeyDigestRef();
        this.reportId = r.reportIdRef();
        this.reportIdMa = r.reportIdMaRef();
        this.reportedTcb = r.reportedTcb();
        this.cpuidFamId = r.cpuidFamId();
        this.cpuidModId = r.cpuidModId();
        this.cpuidStep = r.cpuidStep();
        this.chipId = r.chipIdRef();
        this.committedTcb = r.committedTcb();
        this.currentBuild = r.currentBuild();
        this.currentMinor = r.currentMinor();
        this.currentMajor = r.currentMajor();
        this.committedBuild = r.committedBuild();
        this.committedMinor = r.committedMinor();
        this.committedMajor = r.committedMajor();
        this.launchTcb = r.launchTcb();
        this.launchMitVector = r.launchMitVector();
        this.currentMitVector = r.currentMitVector();
        this.signature = r.signature();
    }

    public ReportBuilder version(int version) {
        this.version = version;
        return this;
    }

    public ReportBuilder guestSvn(int guestSvn) {
        this.guestSvn = guestSvn;
        return this;
    }

    public ReportBuilder policy(GuestPolicy policy) {
        this.policy = policy;
        return this;
    }

    public ReportBuilder familyId(byte[] familyId) {
        this.familyId = familyId;
        return this;
    }

    public ReportBuilder imageId(byte[] imageId) {
        this.imageId = imageId;
        return this;
    }

    public ReportBuilder vmpl(int vmpl) {
        this.vmpl = vmpl;
        return this;
    }

    public ReportBuilder signatureAlgo(int signatureAlgo) {
        this.signatureAlgo = signatureAlgo;
        return this;
    }

    public ReportBuilder currentTcb(TcbVersion currentTcb) {
        this.currentTcb = currentTcb;
        return this;
    }

    public ReportBuilder platformInfo(PlatformInfo platformInfo) {
        this.platformInfo = platformInfo;
        return this;
    }

    public ReportBuilder signerInfo(SignerInfo signerInfo) {
        this.signerInfo = signerInfo;
        return this;
    }

    public ReportBuilder reportData(byte[] reportData) {
        this.reportData = reportData;
        return this;
    }

    public ReportBuilder measurement(byte[] measurement) {
        this.measurement = measurement;
        return this;
    }

    public ReportBuilder hostData(byte[] hostData) {
        this.hostData = hostData;
        return this;
    }

    public ReportBuilder idKeyDigest(byte[] idKeyDigest) {
        this.idKeyDigest = idKeyDigest;
        return this;
    }

    public ReportBuilder authorKeyDigest(byte[] authorKeyDigest) {
        this.authorKeyDigest = authorKeyDigest;
        return this;
    }

    public ReportBuilder reportId(byte[] reportId) {
        this.reportId = reportId;
        return this;
    }

    public ReportBuilder reportIdMa(byte[] reportIdMa) {
        this.reportIdMa = reportIdMa;
        return this;
    }

    public ReportBuilder reportedTcb(TcbVersion reportedTcb) {
        this.reportedTcb = reportedTcb;
        return this;
    }

    public ReportBuilder cpuidFamId(int cpuidFamId) {
        this.cpuidFamId = cpuidFamId;
        return this;
    }

    public ReportBuilder cpuidModId(int cpuidModId) {
        this.cpuidModId = cpuidModId;
        return this;
    }

    public ReportBuilder cpuidStep(int cpuidStep) {
        this.cpuidStep = cpuidStep;
        return this;
    }

    public ReportBuilder chipId(byte[] chipId) {
        this.chipId = chipId;
        return this;
    }

    public ReportBuilder committedTcb(TcbVersion committedTcb) {
        this.committedTcb = committedTcb;
        return this;
    }

    public ReportBuilder currentBuild(int currentBuild) {
        this.currentBuild = currentBuild;
        return this;
    }

    public ReportBuilder currentMinor(int currentMinor) {
        this.currentMinor = currentMinor;
        return this;
    }

    public ReportBuilder currentMajor(int currentMajor) {
        this.currentMajor = currentMajor;
        return this;
    }

    public ReportBuilder committedBuild(int committedBuild) {
        this.committedBuild = committedBuild;
        return this;
    }

    public ReportBuilder committedMinor(int committedMinor) {
        this.committedMinor = committedMinor;
        return this;
    }

    public ReportBuilder committedMajor(int committedMajor) {
        this.committedMajor = committedMajor;
        return this;
    }

    public ReportBuilder launchTcb(TcbVersion launchTcb) {
        this.launchTcb = launchTcb;
        return this;
    }

    public ReportBuilder launchMitVector(long launchMitVector) {
        this.launchMitVector = launchMitVector;
        return this;
    }

    public ReportBuilder currentMitVector(long currentMitVector) {
        this.currentMitVector = currentMitVector;
        return this;
    }

    public ReportBuilder signature(ReportSignature signature) {
        this.signature = signature;
        return this;
    }

    /** Sets CPUID_FAM_ID, CPUID_MOD_ID and CPUID_STEP to a typical part of {@code product}. */
    public ReportBuilder cpuidOf(Product product) {
        switch (product) {
            case MILAN -> { cpuidFamId = 0x19; cpuidModId = 0x01; cpuidStep = 0x01; }
            case GENOA -> { cpuidFamId = 0x19; cpuidModId = 0x11; cpuidStep = 0x01; }
            case TURIN -> { cpuidFamId = 0x1a; cpuidModId = 0x02; cpuidStep = 0x01; }
            default -> throw new IllegalStateException("unknown product " + product);
        }
        return this;
    }

    public AttestationReport build() {
        return new AttestationReport(version,
                guestSvn,
                policy,
                familyId,
                imageId,
                vmpl,
                signatureAlgo,
                currentTcb,
                platformInfo,
                signerInfo,
                reportData,
                measurement,
                hostData,
                idKeyDigest,
                authorKeyDigest,
                reportId,
                reportIdMa,
                reportedTcb,
                cpuidFamId,
                cpuidModId,
                cpuidStep,
                chipId,
                committedTcb,
                currentBuild,
                currentMinor,
                currentMajor,
                committedBuild,
                committedMinor,
                committedMajor,
                launchTcb,
                launchMitVector,
                currentMitVector,
                signature);
    }
}
