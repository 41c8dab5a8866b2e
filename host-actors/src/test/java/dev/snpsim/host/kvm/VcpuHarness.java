package dev.snpsim.host.kvm;

import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.host.ratelimit.RateLimiterPreset;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One vCPU under test with probes around it: the guest (replies), the VMM (certificate exits,
 * run returns) and the PSP (guest requests, answered by hand). Memory: request page 0x1000,
 * response page 0x2000 and an 8-page certificate buffer at 0x10000 shared; 0x3000 private.
 */
final class VcpuHarness {
    static final long REQ = 0x1000;
    static final long RESP = 0x2000;
    static final long PRIVATE = 0x3000;
    static final long CERTS = 0x10000;
    static final int CERT_PAGES = 8;
    static final String VM = "vm-t";

    final Simulation<?> sim;
    final GuestMemory memory = new GuestMemory(1 << 20);
    final SimProbe<Psp.Command> psp;
    final SimProbe<Vmm.Command> vmm;
    final SimProbe<Vcpu.VmgexitDone> guest;
    final SevGate gate;
    final ActorRef<Vcpu.Command> vcpu;
    final HostAbiProfile profile;

    VcpuHarness(Simulation<?> sim, String name, HostAbiProfile profile, boolean snp, boolean certExits, String limiter) {
        this.sim = sim;
        this.profile = profile;
        psp = sim.probe(name + "-psp");
        vmm = sim.probe(name + "-vmm");
        guest = sim.probe(name + "-guest");
        gate = new SevGate(psp.ref(), RateLimiterPreset.parse(limiter));
        memory.setShared(REQ, 2, true);
        memory.setShared(CERTS, CERT_PAGES, true);
        memory.guestWrite(REQ, requestPage(5));
        vcpu = sim.spawn(Vcpu.create(new Vcpu.Setup(VM, 0, profile, snp, certExits, memory, gate, vmm.ref())),
                name + "-vcpu");
    }

    /** A request page whose header names message type {@code msgType} (5 = MSG_REPORT_REQ). */
    static byte[] requestPage(int msgType) {
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        Arrays.fill(page, 0x60, 0x100, (byte) 0xA5);
        page[0x34] = (byte) msgType;
        return page;
    }

    static byte[] responsePage() {
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        Arrays.fill(page, (byte) 0x5A);
        return page;
    }

    void plain() {
        sim.tell(vcpu, new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, REQ, RESP, 0, 0, guest.ref()));
    }

    void extended(long rax, long rbx) {
        sim.tell(vcpu, new Vcpu.Vmgexit(SvmExitCode.EXT_GUEST_REQUEST, REQ, RESP, rax, rbx, guest.ref()));
    }

    Psp.GuestRequest expectPspRequest() {
        return (Psp.GuestRequest) psp.expectMessageClass(Psp.GuestRequest.class);
    }

    /** The PSP answers the next request with success and {@link #responsePage()}. */
    void pspSucceeds() {
        Psp.GuestRequest r = expectPspRequest();
        sim.tell(r.replyTo(), new Psp.GuestResponse(r.vmId(), Psp.Outcome.DONE,
                dev.snpsim.abi.ghcb.FirmwareStatus.SUCCESS, responsePage()));
    }

    Vmm.CertificateExit expectExit() {
        return (Vmm.CertificateExit) vmm.expectMessageClass(Vmm.CertificateExit.class);
    }

    void userspaceReturns(byte[] exit, boolean immediateExit) {
        sim.tell(vcpu, new Vcpu.UserspaceReturn(exit, immediateExit));
    }
}
