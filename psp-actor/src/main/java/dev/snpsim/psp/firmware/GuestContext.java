package dev.snpsim.psp.firmware;

import dev.snpsim.abi.launch.IdBlock;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.TcbVersion;

/**
 * One guest context inside the firmware: its state, policy, launch digest, launch-finish data
 * and, per VMPCK, the key and the sequence number of the last response sent with it (0 before
 * the first). Read-only outside this package; the firmware mutates it.
 */
public final class GuestContext {
    /** VMPCKs per guest, one per VMPL. */
    public static final int VMPCKS = 4;

    private final String vmId;
    private final GuestPolicy policy;
    private final TcbVersion launchTcb;
    private final byte[][] vmpcks;
    private final long[] lastSeqno = new long[VMPCKS];
    private final byte[] reportId;
    private final LaunchDigest digest = new LaunchDigest();
    private GuestState state = GuestState.LAUNCHING;
    private boolean secretsPageAdded;
    private byte[] measurement;
    private byte[] hostData = new byte[32];
    private IdBlock idBlock;

    GuestContext(String vmId, GuestPolicy policy, TcbVersion launchTcb, byte[][] vmpcks, byte[] reportId) {
        this.vmId = vmId;
        this.policy = policy;
        this.launchTcb = launchTcb;
        this.vmpcks = vmpcks;
        this.reportId = reportId;
    }

    public String vmId() {
        return vmId;
    }

    public GuestState state() {
        return state;
    }

    public GuestPolicy policy() {
        return policy;
    }

    /** CURRENT_TCB when the guest was launched (the report's LAUNCH_TCB). */
    public TcbVersion launchTcb() {
        return launchTcb;
    }

    /** The final launch digest, or null before LAUNCH_FINISH. */
    public byte[] measurement() {
        return measurement == null ? null : measurement.clone();
    }

    public byte[] hostData() {
        return hostData.clone();
    }

    /** The ID block given at LAUNCH_FINISH, or null. */
    public IdBlock idBlock() {
        return idBlock;
    }

    /** The guest's stable REPORT_ID (32 bytes, drawn at LAUNCH_START). */
    public byte[] reportId() {
        return reportId.clone();
    }

    /** {@link #measurement()} itself, not a copy (null before LAUNCH_FINISH): read only, by the report factory. */
    byte[] measurementRef() {
        return measurement;
    }

    /** {@link #hostData()} itself, not a copy: read only, by the report factory. */
    byte[] hostDataRef() {
        return hostData;
    }

    /** {@link #reportId()} itself, not a copy: read only, by the report factory. */
    byte[] reportIdRef() {
        return reportId;
    }

    /** The sequence number of the last response sealed with VMPCK {@code n} (0 before any). */
    public long lastSeqno(int n) {
        return lastSeqno[n];
    }

    byte[] vmpck(int n) {
        return vmpcks[n];
    }

    byte[][] vmpcks() {
        return vmpcks;
    }

    LaunchDigest digest() {
        return digest;
    }

    boolean secretsPageAdded() {
        return secretsPageAdded;
    }

    void markSecretsPageAdded() {
        secretsPageAdded = true;
    }

    void finish(byte[] finalDigest, byte[] host, IdBlock id) {
        measurement = finalDigest.clone();
        hostData = host.clone();
        idBlock = id;
        state = GuestState.RUNNING;
    }

    void setLastSeqno(int n, long seqno) {
        lastSeqno[n] = seqno;
    }
}
