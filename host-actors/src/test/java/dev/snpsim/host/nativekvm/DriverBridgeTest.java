package dev.snpsim.host.nativekvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.host.kvm.Vcpu;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's driver logic against a scripted simulated vCPU (no KVM, no actors): what it sends
 * on BUSY and INVALID_LEN, what it copies into real guest memory, and when it gives the key up.
 * Real guest memory is an anonymous mapping; the simulated one a plain {@code GuestMemory}.
 */
class DriverBridgeTest {
    private static final long REQ = 0x2000;
    private static final long RESP = 0x3000;
    private static final long CERTS = 0x4000;
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 3);
    }

    /** One VMGEXIT as the simulated vCPU saw it: exit code and the request page in simulated memory. */
    private record Sent(long exitCode, byte[] requestPage, long rax, long rbx) {
    }

    private HostMapping real;
    private dev.snpsim.host.kvm.GuestMemory sim;
    private final List<Sent> sent = new ArrayList<>();
    private final ArrayDeque<Object> script = new ArrayDeque<>();
    private DriverBridge bridge;

    @BeforeEach
    void setUp() {
        real = HostMapping.anonymous(0x10000);
        sim = new dev.snpsim.host.kvm.GuestMemory(0x10000);
        sim.setShared(REQ, 4, true);
        DriverBridge.VmgexitPort port = (vcpu, code, info1, info2, rax, rbx) -> {
            sent.add(new Sent(code, sim.guestRead(info1, 4096), rax, rbx));
            Object next = script.poll();
            if (next instanceof Vcpu.VmgexitDone d) {
                return CompletableFuture.completedFuture(d);
            }
            if (next instanceof byte[] table) { // success: the firmware's response and the VMM's table
                long seqno = GuestMessageHeader.decode(sim.guestRead(info1, 4096)).seqno();
                sim.guestWrite(info2, GuestMessages.seal(KEY, GuestMessageHeader.of(MessageType.REPORT_RSP, 1,
                        seqno + 1, 0), ReportResponse.success(new byte[0x4A0]).encode()));
                sim.guestWrite(rax, table);
                return CompletableFuture.completedFuture(new Vcpu.VmgexitDone(0, rbx));
            }
            return new CompletableFuture<>(); // never answered
        };
        bridge = new DriverBridge(sim, KEY, port, ReportVerifier.withDefaults(), null, Duration.ofMillis(300),
                new BridgeStats());
    }

    @AfterEach
    void tearDown() {
        bridge.close();
        real.close();
    }

    private NativeGuestResult ring(long guestSeq, long npages) throws Exception {
        real.pointer().setLong(REQ + GuestProgram.REQUEST_SEQNO_OFFSET, guestSeq);
        GuestMemory view = new GuestMemory(real, List.of(new GuestMemory.Window("response page", RESP, 0x1000),
                new GuestMemory.Window("certificate buffer", CERTS, npages * 0x1000)), "test");
        NativeGuestRequest r = new NativeGuestRequest(0, SvmExitCode.EXT_GUEST_REQUEST, REQ, RESP, CERTS, npages);
        return bridge.handle(r, view).toCompletableFuture().get();
    }

    private static Vcpu.VmgexitDone done(long exitInfo2, long rbx) {
        return new Vcpu.VmgexitDone(exitInfo2, rbx);
    }

    @Test
    void aBusyRetryResendsTheSamePageAndSuccessLandsInRealMemory() throws Exception {
        byte[] table = new byte[0x1000];
        Arrays.fill(table, 0, 100, (byte) 0x5C);
        script.add(done(NativeGuestResult.BUSY, 1));
        script.add(table);

        assertThat(ring(1, 1)).isEqualTo(NativeGuestResult.busy());
        assertThat(ring(1, 1)).isEqualTo(NativeGuestResult.ok(0));

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).requestPage()).isEqualTo(sent.get(0).requestPage());
        assertThat(real.pointer().getByteArray(CERTS, 0x1000)).isEqualTo(table);
        assertThat(real.pointer().getByteArray(RESP, 0x1000)).isEqualTo(sim.guestRead(RESP, 0x1000));
        BridgeStats.Snapshot s = bridge.stats().snapshot();
        assertThat(s.requests()).isEqualTo(1);
        assertThat(s.busy()).isEqualTo(1);
        assertThat(s.verifyFailures()).as("a table of 0x5c bytes does not decode").isEqualTo(1);
        assertThat(s.lastFailure()).startsWith("verification: vcpu 0: ");
        assertThat(s.failures()).isZero();
        assertThat(bridge.channel().counter()).isEqualTo(2);
    }

    @Test
    void invalidLenIsResentPlainThenHandedToTheGuestWithThePagesNeeded() throws Exception {
        script.add(done(NativeGuestResult.INVALID_LEN, 3));
        script.add(done(0, 0));

        assertThat(ring(1, 1)).isEqualTo(NativeGuestResult.invalidLen(3));

        assertThat(sent).extracting(Sent::exitCode)
                .containsExactly(SvmExitCode.EXT_GUEST_REQUEST, SvmExitCode.GUEST_REQUEST);
        assertThat(sent.get(1).requestPage()).isEqualTo(sent.get(0).requestPage());
        assertThat(sent.get(1).rax()).isZero();
        assertThat(bridge.channel().counter()).as("the plain resend used the seqno pair").isEqualTo(2);
        assertThat(bridge.stats().snapshot().invalidLen()).isEqualTo(1);
    }

    @Test
    void aFirmwareErrorWipesTheKeyAndLaterRequestsFailWithoutAVmgexit() throws Exception {
        script.add(done(0x16, 1));

        assertThat(ring(1, 1).exitInfo2()).isEqualTo(0x16);
        assertThat(ring(2, 1)).isEqualTo(NativeGuestResult.generic());

        assertThat(sent).hasSize(1);
        assertThat(bridge.channel().wiped()).isTrue();
        assertThat(bridge.stats().snapshot().failures()).isEqualTo(2);
    }

    @Test
    void noAnswerInTimeFailsTheRequestAndWipesTheKey() throws Exception {
        assertThat(ring(1, 1)).isEqualTo(NativeGuestResult.generic());
        assertThat(bridge.channel().wiped()).isTrue();
        assertThat(bridge.stats().snapshot().lastFailure()).contains("did not answer the vmgexit within PT0.3S");
    }

    @Test
    void aPlainRequestIsNotPlayed() throws Exception {
        GuestMemory view = new GuestMemory(real, List.of(), "test");
        NativeGuestRequest r = new NativeGuestRequest(0, SvmExitCode.GUEST_REQUEST, REQ, RESP, 0, 0);
        assertThat(bridge.handle(r, view).toCompletableFuture().get()).isEqualTo(NativeGuestResult.generic());
        assertThat(sent).isEmpty();
    }
}
