package dev.snpsim.host;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.ghcb.VmmError;
import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.host.kvm.Vm;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A minimal guest for host tests: asks for {@code count} extended reports one after another
 * through vCPU 0 as the Linux driver would (seqno c+1, BUSY: same message again later), with a
 * seeded think time between requests, and hands every outcome to {@code sink}.
 */
final class TestGuest {
    static final long REQ = 0x20000;
    static final long RESP = 0x21000;
    static final long CERTS = 0x30000;
    static final int CERT_PAGES = 8;

    /** One finished request: SW_EXITINFO2, and on success the report and the table. */
    record Outcome(String vmId, ExitInfo2 exitInfo2, long rbx, byte[] report, CertTable table) {
    }

    private record Next() {
    }

    private TestGuest() {
    }

    static Behavior<Object> create(Vm.Launched vm, int count, long certPages, Duration maxThink,
                                   RandomGenerator random, Consumer<Outcome> sink) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            GuestMemory mem = vm.memory();
            byte[] vmpck = SecretsPage.decode(mem.guestRead(vm.secretsPageGpa(), GuestMemory.PAGE_SIZE)).vmpck0();
            mem.setShared(REQ, 2, true);
            mem.setShared(CERTS, CERT_PAGES, true);
            ActorRef<Vcpu.Command> vcpu = vm.vcpus().get(0);
            ActorRef<Vcpu.VmgexitDone> self = ctx.messageAdapter(Vcpu.VmgexitDone.class, d -> d);
            long[] counter = {0};
            int[] left = {count};
            Runnable send = () -> vcpu.tell(new Vcpu.Vmgexit(SvmExitCode.EXT_GUEST_REQUEST, REQ, RESP, CERTS, certPages,
                    self));
            Runnable sealNext = () -> {
                long seqno = counter[0] + 1;
                byte[] data = new byte[64];
                data[0] = (byte) seqno;
                mem.guestWrite(REQ, GuestMessages.seal(vmpck, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, seqno, 0),
                        new ReportRequest(data, 0, ReportRequest.KEY_SEL_DEFAULT).encode()));
                send.run();
            };
            long thinkNanos = Math.max(1, maxThink.toNanos());
            timers.startSingleTimer(new Next(), Duration.ofNanos(random.nextLong(thinkNanos)));
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Next) {
                    sealNext.run();
                } else if (msg instanceof RetrySame) {
                    send.run();
                } else if (msg instanceof Vcpu.VmgexitDone d) {
                    ExitInfo2 ei = ExitInfo2.decode(d.swExitInfo2());
                    if (ei.vmmErrorKind() == VmmError.BUSY) {
                        timers.startSingleTimer(new RetrySame(), Duration.ofMillis(20));
                        return Behaviors.same();
                    }
                    byte[] report = null;
                    CertTable table = null;
                    if (ei.isSuccess()) {
                        GuestMessages.Opened o = GuestMessages.open(vmpck, mem.guestRead(RESP, GuestMemory.PAGE_SIZE),
                                counter[0] + 2);
                        report = ReportResponse.decode(o.payload()).report();
                        table = CertTable.decode(mem.guestRead(CERTS, CERT_PAGES * GuestMemory.PAGE_SIZE));
                    }
                    counter[0] += 2;
                    sink.accept(new Outcome(vm.vmId(), ei, d.rbx(), report, table));
                    if (--left[0] > 0 && ei.isSuccess()) {
                        timers.startSingleTimer(new Next(), Duration.ofNanos(random.nextLong(thinkNanos)));
                    }
                }
                return Behaviors.same();
            });
        }));
    }

    private record RetrySame() {
    }
}
