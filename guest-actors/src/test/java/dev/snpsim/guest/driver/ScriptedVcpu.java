package dev.snpsim.guest.driver;

import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.sim.SimClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A test vCPU that answers every VMGEXIT through a {@link FakeFirmware} after a fixed latency,
 * with the step a supplier names, and records each exit (time, exit code, request page).
 */
final class ScriptedVcpu {
    record Exit(long simNanos, long exitCode, long seqno, byte[] page) {
    }

    private record Reply(Vcpu.Vmgexit v, FakeFirmware.Step step) implements Vcpu.Command {
    }

    final List<Exit> exits = Collections.synchronizedList(new ArrayList<>());
    int inFlight;
    int maxInFlight;

    Behavior<Vcpu.Command> behavior(FakeFirmware fw, Supplier<FakeFirmware.Step> script, Duration latency) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            SimClock clock = SimClock.get(ctx.getSystem());
            return Behaviors.receive(Vcpu.Command.class)
                    .onMessage(Vcpu.Vmgexit.class, v -> {
                        byte[] page = fw.memory.hostRead(v.swExitInfo1(), GuestMemory.PAGE_SIZE);
                        long seqno = java.nio.ByteBuffer.wrap(page, 0x20, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                .getLong();
                        exits.add(new Exit(clock.now(), v.swExitCode(), seqno, page));
                        maxInFlight = Math.max(maxInFlight, ++inFlight);
                        Reply r = new Reply(v, script.get());
                        if (latency.isZero()) {
                            ctx.getSelf().tell(r);
                        } else {
                            timers.startSingleTimer(r, r, latency);
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Reply.class, r -> {
                        inFlight--;
                        r.v().replyTo().tell(fw.answer(r.v(), r.step()));
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
