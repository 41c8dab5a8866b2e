package dev.snpsim.psp.firmware;

import static dev.snpsim.abi.ghcb.FirmwareStatus.BAD_MEASUREMENT;
import static dev.snpsim.abi.ghcb.FirmwareStatus.BAD_SVN;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_ADDRESS;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_GUEST;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_GUEST_STATE;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_LENGTH;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_PARAM;
import static dev.snpsim.abi.ghcb.FirmwareStatus.POLICY_FAILURE;
import static dev.snpsim.abi.ghcb.FirmwareStatus.SUCCESS;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.VlekHashstick;
import dev.snpsim.abi.keys.VlekUnwrapped;
import dev.snpsim.abi.launch.IdBlock;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.psp.PlatformState;
import dev.snpsim.sim.offload.Offload;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The SEV-SNP firmware: platform state, guest contexts and the commands of SPEC.md sections
 * 5-7 and 9-10. Not thread-safe: the PSP actor calls it one command at a time.
 *
 * <p>TCBs: REPORTED &lt;= COMMITTED &lt;= CURRENT component-wise at all times.
 * DOWNLOAD_FIRMWARE raises CURRENT (never below COMMITTED); SNP_COMMIT sets COMMITTED to
 * CURRENT; REPORTED follows COMMITTED until SNP_SET_CONFIG pins it. Reports are signed with the
 * VCEK of REPORTED, so the VCEK in force changes when a commit (after an update) or a
 * SET_CONFIG moves REPORTED. A loaded VLEK is bound to the REPORTED TCB it was loaded at and is
 * dropped when REPORTED moves (modelling choice: its certificate no longer matches).
 *
 * <p>VMPCKs and REPORT_IDs are drawn from the given seeded stream, so a run is reproducible.
 */
public final class Firmware {
    private final FirmwareConfig config;
    private final RandomGenerator random;
    private final SigningKeys signingKeys;
    private final GuestRequests guestRequests;
    /**
     * By vmId. Every guest request looks its guest up here, and a tree of a thousand guests cost a
     * dozen string comparisons on cold nodes per lookup. Nothing iterates it: whatever does must
     * sort the ids first, so that no result depends on hashing.
     */
    private final Map<String, GuestContext> guests = new HashMap<>();
    private FirmwareVersion currentVersion;
    private FirmwareVersion committedVersion;
    private TcbVersion currentTcb;
    private TcbVersion committedTcb;
    private TcbVersion reportedTcb;
    private boolean reportedPinned;
    private boolean maskChipId;
    private boolean maskChipKey;
    private VlekUnwrapped vlek;
    /** Moves on every command that may change state; a prepared guest request is valid only while it stands. */
    private long epoch;
    private Ahead ahead;
    /** The buffer {@link Ahead#page} lives in, reused; see {@link #copyOfPage}. */
    private byte[] aheadPage;

    public Firmware(FirmwareConfig config, RandomGenerator random) {
        this.config = config;
        this.random = random;
        this.currentVersion = config.version();
        this.committedVersion = config.version();
        this.currentTcb = config.tcb();
        this.committedTcb = config.tcb();
        this.reportedTcb = config.tcb();
        this.signingKeys = new SigningKeys(config);
        this.guestRequests = new GuestRequests(this, new ReportFactory(this), signingKeys);
    }

    // ---- platform commands -----------------------------------------------------------------

    /** SNP_PLATFORM_STATUS. */
    public PlatformState platformStatus() {
        return new PlatformState(config.product(), config.chipId(), currentVersion.build(), currentVersion.minor(),
                currentVersion.major(), currentTcb, committedTcb, reportedTcb, maskChipId, maskChipKey, vlek != null,
                guests.size());
    }

    /** SNP_COMMIT: COMMITTED := CURRENT (TCB and firmware version); REPORTED follows unless pinned. */
    public FirmwareStatus commit() {
        epoch++;
        committedTcb = currentTcb;
        committedVersion = currentVersion;
        if (!reportedPinned) {
            setReported(committedTcb);
        }
        return SUCCESS;
    }

    /**
     * SNP_SET_CONFIG: pins REPORTED_TCB and sets the masks. A reported TCB above COMMITTED in any
     * component, or with reserved bytes set, is refused with INVALID_PARAM and changes nothing.
     */
    public FirmwareStatus setConfig(TcbVersion reported, boolean maskId, boolean maskKey) {
        epoch++;
        if (reported == null || reported.reservedBits(product()) != 0 || !reported.atMost(committedTcb, product())) {
            return INVALID_PARAM;
        }
        reportedPinned = true;
        setReported(reported);
        maskChipId = maskId;
        maskChipKey = maskKey;
        return SUCCESS;
    }

    /**
     * SNP_VLEK_LOAD: unwraps the 432-byte hashstick with the AMD wrapping key. A wrong size is
     * INVALID_LENGTH; a malformed hashstick, one wrapped under another key, or one for a TCB other
     * than REPORTED is INVALID_PARAM, and the VLEK loaded before stays in force.
     */
    public FirmwareStatus vlekLoad(byte[] hashstick) {
        epoch++;
        if (hashstick == null || hashstick.length != VlekHashstick.SIZE) {
            return INVALID_LENGTH;
        }
        VlekUnwrapped unwrapped;
        try {
            unwrapped = VlekHashstick.unwrap(config.keys().amdWrappingKey(), hashstick);
        } catch (AbiException e) {
            return INVALID_PARAM;
        }
        if (unwrapped.tcb().raw() != reportedTcb.raw()) {
            return INVALID_PARAM;
        }
        vlek = unwrapped;
        signingKeys.loadVlek(unwrapped.privateKey());
        return SUCCESS;
    }

    /**
     * DOWNLOAD_FIRMWARE_EX: runs a new firmware version with {@code newCurrentTcb} as CURRENT.
     * A TCB below COMMITTED in any component (a rollback the commit forbids) is BAD_SVN; reserved
     * bytes set are INVALID_PARAM.
     */
    public FirmwareStatus downloadFirmware(FirmwareVersion version, TcbVersion newCurrentTcb) {
        epoch++;
        if (version == null || newCurrentTcb == null || newCurrentTcb.reservedBits(product()) != 0) {
            return INVALID_PARAM;
        }
        if (!committedTcb.atMost(newCurrentTcb, product())) {
            return BAD_SVN;
        }
        currentVersion = version;
        currentTcb = newCurrentTcb;
        return SUCCESS;
    }

    // ---- guest lifecycle ---------------------------------------------------------------------

    /**
     * SNP_LAUNCH_START: a new context in LAUNCHING with four fresh VMPCKs. The policy is checked:
     * an ABI version above the firmware's or SMT disallowed on an SMT platform is POLICY_FAILURE.
     */
    public FirmwareStatus launchStart(String vmId, GuestPolicy policy) {
        epoch++;
        if (vmId == null || vmId.isEmpty() || policy == null) {
            return INVALID_PARAM;
        }
        if (guests.containsKey(vmId)) {
            return INVALID_GUEST_STATE;
        }
        if (!currentVersion.apiAtLeast(policy.abiMajor(), policy.abiMinor())) {
            return POLICY_FAILURE;
        }
        if (!policy.smt() && config.platformInfo().smtEnabled()) {
            return POLICY_FAILURE;
        }
        byte[][] vmpcks = new byte[GuestContext.VMPCKS][];
        for (int i = 0; i < vmpcks.length; i++) {
            vmpcks[i] = randomBytes(SecretsPage.VMPCK_SIZE);
        }
        guests.put(vmId, new GuestContext(vmId, policy, currentTcb, vmpcks, randomBytes(32)));
        return SUCCESS;
    }

    /**
     * SNP_LAUNCH_UPDATE of one page: folds it into the launch digest. SECRETS answers the secrets
     * page holding the VMPCKs (once per guest); CPUID answers the page given (zeros if none).
     */
    public FirmwareResult launchUpdate(String vmId, PageType type, long gpa, byte[] page) {
        epoch++;
        GuestContext g = guest(vmId);
        if (g == null) {
            return FirmwareResult.of(INVALID_GUEST);
        }
        if (g.state() != GuestState.LAUNCHING) {
            return FirmwareResult.of(INVALID_GUEST_STATE);
        }
        if (type == null) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        if ((gpa & (LaunchDigest.PAGE_SIZE - 1)) != 0 || gpa < 0) {
            return FirmwareResult.of(INVALID_ADDRESS);
        }
        if (type.hashesContents() && (page == null || page.length != LaunchDigest.PAGE_SIZE)) {
            return FirmwareResult.of(INVALID_LENGTH);
        }
        if (type == PageType.SECRETS && g.secretsPageAdded()) {
            return FirmwareResult.of(INVALID_PARAM);
        }
        g.digest().update(type, gpa, page);
        return switch (type) {
            case SECRETS -> {
                g.markSecretsPageAdded();
                yield FirmwareResult.successOwning(SecretsPage.atLaunch(fms(), g.vmpcks()).encode());
            }
            case CPUID -> FirmwareResult.success(page != null && page.length == LaunchDigest.PAGE_SIZE ? page
                    : new byte[LaunchDigest.PAGE_SIZE]);
            default -> FirmwareResult.of(SUCCESS);
        };
    }

    /**
     * SNP_LAUNCH_FINISH: host data (32 bytes, null = zeros) and an optional ID block, whose LD
     * must equal the launch digest (else BAD_MEASUREMENT) and POLICY the guest's (else
     * POLICY_FAILURE). The guest is RUNNING afterwards.
     */
    public FirmwareStatus launchFinish(String vmId, byte[] idBlock, byte[] hostData) {
        epoch++;
        GuestContext g = guest(vmId);
        if (g == null) {
            return INVALID_GUEST;
        }
        if (g.state() != GuestState.LAUNCHING) {
            return INVALID_GUEST_STATE;
        }
        byte[] host = hostData == null ? new byte[32] : hostData;
        if (host.length != 32) {
            return INVALID_LENGTH;
        }
        IdBlock id = null;
        if (idBlock != null) {
            try {
                id = IdBlock.decode(idBlock);
            } catch (AbiException e) {
                return INVALID_PARAM;
            }
            if (!Arrays.equals(id.ld(), g.digest().digest())) {
                return BAD_MEASUREMENT;
            }
            if (id.policy().raw() != g.policy().raw()) {
                return POLICY_FAILURE;
            }
        }
        g.finish(g.digest().digest(), host, id);
        return SUCCESS;
    }

    /** SNP_DECOMMISSION: forgets the guest context (any state). */
    public FirmwareStatus decommission(String vmId) {
        epoch++;
        return vmId == null || guests.remove(vmId) == null ? INVALID_GUEST : SUCCESS;
    }

    /**
     * SNP_GUEST_REQUEST: opens the sealed page with the VMPCK it names, checks seqno and tag,
     * executes MSG_REPORT_REQ or MSG_KEY_REQ and answers the sealed response page. See
     * {@link GuestRequests} for the statuses. A report prepared ahead on a pool with workers is
     * answered as a {@link FirmwareResult#deferred() deferred} page: everything but its bytes is
     * done (the seqno advances now).
     */
    public FirmwareResult guestRequest(String vmId, byte[] requestPage) {
        Ahead a = ahead;
        ahead = null;
        long seen = epoch++;
        GuestContext g = guest(vmId);
        if (g == null) {
            return FirmwareResult.of(INVALID_GUEST);
        }
        if (g.state() != GuestState.RUNNING) {
            return FirmwareResult.of(INVALID_GUEST_STATE);
        }
        if (a != null) {
            if (a.epoch() == seen && a.vmId().equals(vmId) && Arrays.equals(a.page(), requestPage)) {
                return guestRequests.finish(g, a.prepared(), a.response(), a.defer());
            }
            if (a.response() != null) {
                a.response().cancel();
            }
        }
        return guestRequests.handle(g, requestPage);
    }

    /**
     * Prepares the guest request that {@link #guestRequest} will be called with next, and starts
     * its sealed response (the report signature, encoding and sealing) on {@code offload}. The
     * firmware's state does not change. If anything reaches the firmware in between, or the next request differs, the preparation is dropped
     * and the request runs from scratch: the answer is the same either way (the signature is an
     * RFC 6979 function of key and bytes), only computed earlier.
     */
    public void prepareGuestRequest(String vmId, byte[] requestPage, Offload offload) {
        if (ahead != null && ahead.response() != null) {
            ahead.response().cancel();
        }
        ahead = null;
        GuestContext g = guest(vmId);
        if (g == null || g.state() != GuestState.RUNNING || requestPage == null) {
            return;
        }
        GuestRequests.Prepared p = guestRequests.prepare(g, requestPage);
        Offload.Task<byte[]> response = null;
        // with workers, the result hands the computation on (a SealedResponse) rather than its
        // bytes, so nothing needs them soon: queue it behind earlier work. Inline, it is joined
        // at execution as before.
        boolean defer = offload.workers() > 0;
        if (p.needsSignature()) {
            response = offload.submit(() -> GuestRequests.response(p), !defer);
        }
        ahead = new Ahead(epoch, vmId, copyOfPage(requestPage), p, response, defer);
    }

    /**
     * The prepared page's copy, to tell a page changed before execution: one buffer reused from
     * one preparation to the next (only the latest preparation is ever compared), not a new page
     * per request.
     */
    private byte[] copyOfPage(byte[] page) {
        if (aheadPage == null || aheadPage.length != page.length) {
            aheadPage = new byte[page.length];
        }
        System.arraycopy(page, 0, aheadPage, 0, page.length);
        return aheadPage;
    }

    /** A guest request prepared ahead, valid while {@link #epoch} has not moved. */
    private record Ahead(long epoch, String vmId, byte[] page, GuestRequests.Prepared prepared,
                         Offload.Task<byte[]> response, boolean defer) {
    }

    /** The guest context of {@code vmId}, or null. */
    public GuestContext guest(String vmId) {
        return vmId == null ? null : guests.get(vmId);
    }

    // ---- state read by the report factory ------------------------------------------------------

    public FirmwareConfig config() {
        return config;
    }

    Product product() {
        return config.product();
    }

    FirmwareVersion currentVersion() {
        return currentVersion;
    }

    FirmwareVersion committedVersion() {
        return committedVersion;
    }

    TcbVersion currentTcb() {
        return currentTcb;
    }

    TcbVersion committedTcb() {
        return committedTcb;
    }

    TcbVersion reportedTcb() {
        return reportedTcb;
    }

    boolean maskChipId() {
        return maskChipId;
    }

    boolean maskChipKey() {
        return maskChipKey;
    }

    boolean vlekLoaded() {
        return vlek != null;
    }

    /** FMS of the secrets page for the product's typical part. */
    int fms() {
        return switch (product()) {
            case MILAN -> SecretsPage.fmsOf(0x19, 0x01, 0x01);
            case GENOA -> SecretsPage.fmsOf(0x19, 0x11, 0x01);
            case TURIN -> SecretsPage.fmsOf(0x1a, 0x02, 0x01);
        };
    }

    private void setReported(TcbVersion t) {
        if (t.raw() != reportedTcb.raw() && vlek != null) {
            vlek = null;
            signingKeys.loadVlek(null);
        }
        reportedTcb = t;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
