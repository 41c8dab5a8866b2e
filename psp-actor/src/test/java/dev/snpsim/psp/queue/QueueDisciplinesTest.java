package dev.snpsim.psp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.psp.CommandKind;
import dev.snpsim.psp.service.ServiceTimes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The disciplines' orders on hand-made queues (no actors). */
class QueueDisciplinesTest {
    private long seq;

    private Queued q(String vm, CommandKind kind) {
        return new Queued(seq++, vm, kind, 0, null);
    }

    private static List<String> drain(QueueDiscipline d) {
        List<String> out = new ArrayList<>();
        for (Queued x = d.poll(); x != null; x = d.poll()) {
            out.add(x.vmId() + ":" + x.seq());
        }
        assertThat(d.size()).isZero();
        return out;
    }

    @Test
    void fifoKeepsArrivalOrder() {
        QueueDiscipline d = new QueueFifo();
        d.add(q("a", CommandKind.SNP_GUEST_REQUEST));
        d.add(q("a", CommandKind.SNP_GUEST_REQUEST));
        d.add(q("b", CommandKind.SNP_LAUNCH_START));
        assertThat(d.size()).isEqualTo(3);
        assertThat(drain(d)).containsExactly("a:0", "a:1", "b:2");
    }

    @Test
    void drrAlternatesBetweenVmsAndKeepsEachVmsOrder() {
        QueueDiscipline d = new QueueDrr(k -> 1, 1);
        for (int i = 0; i < 3; i++) {
            d.add(q("a", CommandKind.SNP_GUEST_REQUEST));
        }
        d.add(q("b", CommandKind.SNP_GUEST_REQUEST));
        d.add(q("b", CommandKind.SNP_GUEST_REQUEST));
        d.add(q("c", CommandKind.SNP_GUEST_REQUEST));
        assertThat(drain(d)).containsExactly("a:0", "b:3", "c:5", "a:1", "b:4", "a:2");
    }

    @Test
    void drrByServiceTimeSharesPspTimeNotCommandCounts() {
        // a launch update costs 50 us, a guest request 8 ms: per 8 ms quantum a VM gets 160 updates or 1 request
        QueueDiscipline d = QueueDrr.byServiceTime(ServiceTimes.defaults());
        for (int i = 0; i < 400; i++) {
            d.add(q("boot", CommandKind.SNP_LAUNCH_UPDATE));
        }
        for (int i = 0; i < 5; i++) {
            d.add(q("att", CommandKind.SNP_GUEST_REQUEST));
        }
        List<String> order = drain(d);
        assertThat(order.subList(0, 160)).allMatch(s -> s.startsWith("boot:"));
        assertThat(order.get(160)).isEqualTo("att:400");
        assertThat(order.subList(161, 321)).allMatch(s -> s.startsWith("boot:"));
        assertThat(order.get(321)).isEqualTo("att:401");
    }

    @Test
    void drrLetsALateVmJoinTheRoundWithoutCredit() {
        QueueDrr d = new QueueDrr(k -> 1, 1);
        d.add(q("a", CommandKind.SNP_GUEST_REQUEST));
        d.add(q("a", CommandKind.SNP_GUEST_REQUEST));
        assertThat(d.poll().vmId()).isEqualTo("a");
        d.add(q("b", CommandKind.SNP_GUEST_REQUEST));
        assertThat(d.poll().vmId()).isEqualTo("b");
        assertThat(d.poll().vmId()).isEqualTo("a");
        assertThat(d.poll()).isNull();
    }

    @Test
    void launchFirstServesLifecycleCommandsBeforeEverythingElse() {
        QueueDiscipline d = new QueueLaunchFirst();
        d.add(q("a", CommandKind.SNP_GUEST_REQUEST));
        d.add(q("host", CommandKind.SNP_COMMIT));
        d.add(q("b", CommandKind.SNP_LAUNCH_START));
        d.add(q("b", CommandKind.SNP_LAUNCH_UPDATE));
        assertThat(drain(d)).containsExactly("b:2", "b:3", "a:0", "host:1");
    }
}
