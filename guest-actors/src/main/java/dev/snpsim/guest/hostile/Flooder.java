package dev.snpsim.guest.hostile;

import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.Metrics;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A flooding attacker: every vCPU of its guest sends guest requests back to back, each on its
 * own request/response pages. vCPU {@code i < 4} seals fresh, valid report requests with VMPCK
 * {@code i} (at VMPL {@code i}), so the firmware does full work for each; further vCPUs resend
 * their first sealed page, which the firmware must still open before refusing. Between a
 * resumption and its next VMGEXIT a vCPU spends {@code exitCost} (the guest's side of the exit
 * round trip; without it a flood answered BUSY at once would never let virtual time advance).
 * After BUSY a vCPU sleeps {@code busyDelay} like the Linux driver, or only {@code exitCost}
 * when {@code ignoreBusy}. Counts go to {@code hostile/<guest>/sent}, {@code .../busy} and
 * {@code .../ok} in {@link Metrics}.
 */
public final class Flooder extends AbstractBehavior<Flooder.Command> {

    /** Everything a flooder accepts. */
    public interface Command {
    }

    /** Starts every vCPU. */
    public enum Start implements Command { INSTANCE }

    /** Stops after the requests in flight. */
    public enum Stop implements Command { INSTANCE }

    private record Resumed(int vcpu, Vcpu.VmgexitDone done) implements Command {
    }

    private record Again(int vcpu) implements Command {
    }

    /** Where the flooder's pages start: two per vCPU. */
    public static final long PAGES_GPA = 0x30_0000L;

    private final Vm.Launched guest;
    private final boolean ignoreBusy;
    private final Duration busyDelay;
    private final Duration exitCost;
    private final TimerScheduler<Command> timers;
    private final long[] counters;
    private final byte[][] firstPage;
    private final Counter sent;
    private final Counter busy;
    private final Counter ok;
    private final java.util.List<ActorRef<Vcpu.VmgexitDone>> replies = new java.util.ArrayList<>();
    private boolean stopped;

    public static Behavior<Command> create(String guestId, Vm.Launched guest, boolean ignoreBusy, Duration busyDelay,
                                           Duration exitCost) {
        if (exitCost.isNegative() || exitCost.isZero()) {
            throw new IllegalArgumentException("flooder exit cost is " + exitCost + " (expected: > 0)");
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new Flooder(ctx, t, guestId, guest, ignoreBusy,
                busyDelay, exitCost)));
    }

    private Flooder(ActorContext<Command> ctx, TimerScheduler<Command> timers, String guestId, Vm.Launched guest,
                    boolean ignoreBusy, Duration busyDelay, Duration exitCost) {
        super(ctx);
        this.exitCost = exitCost;
        this.guest = guest;
        this.ignoreBusy = ignoreBusy;
        this.busyDelay = busyDelay;
        this.timers = timers;
        int n = guest.vcpus().size();
        this.counters = new long[4];
        this.firstPage = new byte[n][];
        Metrics m = Metrics.get(ctx.getSystem());
        this.sent = m.counter("hostile/" + guestId + "/sent");
        this.busy = m.counter("hostile/" + guestId + "/busy");
        this.ok = m.counter("hostile/" + guestId + "/ok");
        guest.memory().setShared(PAGES_GPA, 2L * n, true);
        ActorRef<Command> self = ctx.getSelf();
        for (int i = 0; i < n; i++) {
            int index = i; // one reply address per vCPU (a message adapter is one per class)
            replies.add(ctx.spawn(Behaviors.receive(Vcpu.VmgexitDone.class).onAnyMessage(d -> {
                self.tell(new Resumed(index, d));
                return Behaviors.same();
            }).build(), "vcpu-" + i + "-replies"));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Start.class, m -> {
                    for (int i = 0; i < guest.vcpus().size(); i++) {
                        send(i);
                    }
                    return this;
                })
                .onMessage(Stop.class, m -> {
                    stopped = true;
                    timers.cancelAll();
                    return this;
                })
                .onMessage(Again.class, m -> {
                    send(m.vcpu());
                    return this;
                })
                .onMessage(Resumed.class, this::onResumed)
                .build();
    }

    private byte[] page(int i) {
        if (i >= 4 && firstPage[i] != null) {
            return firstPage[i];
        }
        int vmpck = i % 4;
        long seqno = counters[vmpck] + 1;
        byte[] key = guest.memory().guestRead(guest.secretsPageGpa() + 0x20 + 0x20L * vmpck, 32);
        byte[] payload = new ReportRequest(new byte[64], vmpck, ReportRequest.KEY_SEL_DEFAULT).encode();
        byte[] p = GuestMessages.seal(key, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seqno, vmpck), payload);
        if (firstPage[i] == null) {
            firstPage[i] = p;
        }
        return p;
    }

    private void send(int i) {
        if (stopped) {
            return;
        }
        long req = PAGES_GPA + 2L * i * GuestMemory.PAGE_SIZE;
        guest.memory().guestWrite(req, page(i));
        sent.increment();
        guest.vcpus().get(i).tell(new Vcpu.Vmgexit(SvmExitCode.GUEST_REQUEST, req, req + GuestMemory.PAGE_SIZE, 0, 0,
                replies.get(i)));
    }

    private Behavior<Command> onResumed(Resumed r) {
        ExitInfo2 e = ExitInfo2.decode(r.done().swExitInfo2());
        if (e.isSuccess()) {
            ok.increment();
            if (r.vcpu() < 4) {
                counters[r.vcpu()] += 2;
            }
        }
        boolean sleep = false;
        if (e.vmmErrorKind() == VmmError.BUSY) {
            busy.increment();
            sleep = !ignoreBusy;
        }
        if (!stopped) {
            timers.startSingleTimer(new Again(r.vcpu()), sleep ? busyDelay : exitCost);
        }
        return this;
    }
}
