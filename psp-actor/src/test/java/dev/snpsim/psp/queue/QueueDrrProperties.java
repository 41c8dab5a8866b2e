package dev.snpsim.psp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.psp.CommandKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Deficit round robin with equal costs: fair to within one command, order kept per VM, nothing lost. */
class QueueDrrProperties {
    @Property(tries = 200)
    void backloggedVmsNeverDifferByMoreThanOneAndEachVmKeepsItsOrder(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40) Integer> backlogs,
            @ForAll @IntRange(min = 1, max = 3) int quantum) {
        QueueDrr d = new QueueDrr(k -> quantum, quantum);
        long seq = 0;
        int total = 0;
        // arrivals interleaved in a fixed but uneven pattern
        int[] left = backlogs.stream().mapToInt(Integer::intValue).toArray();
        for (boolean any = true; any; ) {
            any = false;
            for (int v = 0; v < left.length; v++) {
                for (int j = 0; j <= v % 3 && left[v] > 0; j++, left[v]--, total++) {
                    d.add(new Queued(seq++, "vm-" + v, CommandKind.SNP_GUEST_REQUEST, 0, null));
                    any = true;
                }
            }
        }
        int min = backlogs.stream().mapToInt(Integer::intValue).min().orElseThrow();
        Map<String, Integer> served = new HashMap<>();
        Map<String, Long> lastSeq = new HashMap<>();
        List<Queued> out = new ArrayList<>();
        for (Queued q = d.poll(); q != null; q = d.poll()) {
            out.add(q);
            served.merge(q.vmId(), 1, Integer::sum);
            assertThat(q.seq()).isGreaterThan(lastSeq.getOrDefault(q.vmId(), -1L));
            lastSeq.put(q.vmId(), q.seq());
            if (out.size() <= min * backlogs.size() - backlogs.size()) {
                int hi = served.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                int lo = backlogs.size() == served.size()
                        ? served.values().stream().mapToInt(Integer::intValue).min().orElse(0) : 0;
                assertThat(hi - lo).as("after %d served: %s", out.size(), served).isLessThanOrEqualTo(1);
            }
        }
        assertThat(out).hasSize(total);
        assertThat(d.size()).isZero();
    }
}
