package dev.snpsim.host.kvm;

import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.host.ratelimit.RateLimiter;
import dev.snpsim.psp.Psp;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The kernel's path from the vCPUs of one host to the PSP (the {@code sev_issue_cmd} side of
 * {@code snp_handle_guest_req}), with the host rate limiter of SPEC.md section 11 in front of it.
 *
 * <p>It is kernel state shared by every vCPU of the host, not a process, so it is a plain
 * object guarded by its own lock (as a spinlock guards the kernel's limiter) rather than an
 * actor: a vCPU asks it to {@link #submit} and either gets BUSY at once, without the PSP ever
 * seeing the request, or the PSP answers the vCPU directly. Time comes from the caller (the
 * simulation clock).
 */
public final class SevGate {
    /** What became of a submitted request. */
    public enum Admission {
        /** Sent to the PSP; its {@link Psp.GuestResponse} goes to the caller's {@code replyTo}. */
        FORWARDED,
        /** Refused by the rate limiter: the guest gets BUSY and the PSP never sees it. */
        THROTTLED
    }

    private final ActorRef<Psp.Command> psp;
    private final RateLimiter limiter;
    private long forwarded;
    private long throttled;

    public SevGate(ActorRef<Psp.Command> psp, RateLimiter limiter) {
        if (psp == null) {
            throw new IllegalArgumentException("psp is missing");
        }
        if (limiter == null) {
            throw new IllegalArgumentException("rate limiter is missing");
        }
        this.psp = psp;
        this.limiter = limiter;
    }

    /** The PSP behind the gate (launch and platform commands go there directly, unthrottled). */
    public ActorRef<Psp.Command> psp() {
        return psp;
    }

    /** The limiter's preset name. */
    public String limiterName() {
        return limiter.name();
    }

    /**
     * Admits or refuses one SNP_GUEST_REQUEST of {@code vmId} at {@code nowNanos}; when admitted,
     * sends it to the PSP with {@code replyTo} as the reply address.
     */
    public synchronized Admission submit(String vmId, byte[] request, long nowNanos,
                                         ActorRef<Psp.GuestResponse> replyTo) {
        if (!limiter.tryAcquire(vmId, nowNanos)) {
            throttled++;
            return Admission.THROTTLED;
        }
        forwarded++;
        psp.tell(new Psp.GuestRequest(vmId, request, replyTo));
        return Admission.FORWARDED;
    }

    /** Requests sent to the PSP so far. */
    public synchronized long forwarded() {
        return forwarded;
    }

    /** Requests answered BUSY by the limiter so far. */
    public synchronized long throttled() {
        return throttled;
    }

    /**
     * SW_EXITINFO2 for a PSP answer: a bounded PSP queue that refused the request is BUSY (the
     * firmware never saw it); otherwise the firmware status in bits 31:0.
     */
    public static ExitInfo2 exitInfo2(Psp.GuestResponse r) {
        if (r.outcome() == Psp.Outcome.QUEUE_FULL) {
            return ExitInfo2.of(VmmError.BUSY, 0);
        }
        return ExitInfo2.of(VmmError.NONE, r.status().code());
    }
}
