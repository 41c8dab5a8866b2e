package dev.snpsim.host.nativekvm;

import java.util.Optional;

/**
 * How one vCPU's run ended.
 *
 * @param vcpuIndex the vCPU
 * @param state     HALTED (the guest reported and halted), STOPPED (closed while running),
 *                  FAILED (an unexpected exit or error), RUNNING (not finished yet)
 * @param counters  what the guest reported, present when HALTED
 * @param detail    why it failed or stopped, empty when it halted normally
 */
public record VcpuOutcome(int vcpuIndex, State state, Optional<GuestCounters> counters, String detail) {
    /** The end state of a vCPU thread. */
    public enum State { RUNNING, HALTED, STOPPED, FAILED }

    static VcpuOutcome running(int vcpu) {
        return new VcpuOutcome(vcpu, State.RUNNING, Optional.empty(), "");
    }
}
