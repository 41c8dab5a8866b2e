package dev.snpsim.guest.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.guest.driver.FakeFirmware.Step;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Under any mix of host and firmware outcomes and request kinds, the driver never seals two
 * different messages with the same (VMPCK, sequence number), never sends after a wipe, and
 * answers every caller.
 */
class SeqnoReuseProperties {
    private static Simulation<Void> sim;
    private static int instance;

    private static Simulation<Void> sim() {
        if (sim == null) {
            sim = Simulation.create(Behaviors.empty(), "seqno-props", SimConfig.virtual(11));
        }
        return sim;
    }

    @AfterContainer
    static void close() {
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Integer>> kinds() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 60)
    void noSeqnoIsEverSealedTwice(@ForAll("steps") List<Step> steps, @ForAll("kinds") List<Integer> kinds) {
        Simulation<Void> s = sim();
        int id = ++instance;
        FakeFirmware fw = new FakeFirmware(id);
        Iterator<Step> script = steps.iterator();
        ScriptedVcpu scripted = new ScriptedVcpu();
        ActorRef<Vcpu.Command> vcpu = s.spawn(scripted.behavior(fw, () -> script.hasNext() ? script.next() : Step.OK,
                Duration.ofMillis(5)), "vcpu-" + id);
        ActorRef<Driver.Command> driver = s.spawn(Driver.create("g" + id, fw.memory, FakeFirmware.SECRETS_GPA,
                List.of(vcpu), DriverConfig.linuxDefaults(), new SeqnoGuard()), "driver-" + id);
        SimProbe<Driver.ReportReply> reports = s.probe("reports-" + id);
        SimProbe<Driver.KeyReply> keys = s.probe("keys-" + id);
        int expectedReports = 0;
        for (int k : kinds) {
            byte[] data = new byte[64];
            data[0] = (byte) expectedReports;
            switch (k) {
                case 0 -> s.tell(driver, new Driver.GetReport(data, 0, 0, reports.ref()));
                case 1 -> s.tell(driver, new Driver.GetExtendedReport(data, 0, 0, 1, reports.ref()));
                default -> s.tell(driver, new Driver.GetDerivedKey(new KeyRequest(0, 0, 0, 0, 0), keys.ref()));
            }
            expectedReports += k < 2 ? 1 : 0;
        }
        s.runUntilIdle();
        assertThat(reports.count() + keys.count()).as("every caller answered").isEqualTo(kinds.size());

        Map<Long, byte[]> pageBySeqno = new HashMap<>();
        long lastSeqno = 0;
        for (ScriptedVcpu.Exit e : scripted.exits) {
            byte[] prev = pageBySeqno.putIfAbsent(e.seqno(), e.page());
            if (prev != null) {
                assertThat(Arrays.equals(prev, e.page())).as("seqno %d resent only as the same bytes", e.seqno()).isTrue();
            } else {
                assertThat(e.seqno()).as("a new seal uses a new, larger seqno").isGreaterThan(lastSeqno);
                assertThat(e.seqno() % 2).as("requests use odd seqnos").isEqualTo(1);
                lastSeqno = e.seqno();
            }
        }
        List<Object> replies = new ArrayList<>(reports.messages());
        replies.addAll(keys.messages());
        boolean wiped = replies.stream().anyMatch(r -> r instanceof Driver.Failed f && f.error().wipesKey());
        if (wiped) {
            assertThat(fw.memory.guestRead(FakeFirmware.SECRETS_GPA + 0x20, 32)).containsOnly((byte) 0);
            long afterWipe = replies.stream().filter(r -> r instanceof Driver.Failed f
                    && f.error() == DriverError.ENOTTY).count();
            long wipes = replies.stream().filter(r -> r instanceof Driver.Failed f && f.error().wipesKey()).count();
            assertThat(wipes).as("exactly one failure wipes the key").isEqualTo(1);
            assertThat(afterWipe + wipes + replies.stream().filter(r -> !(r instanceof Driver.Failed f
                    && (f.error() == DriverError.ENOTTY || f.error().wipesKey()))).count()).isEqualTo(kinds.size());
        } else {
            assertThat(replies).noneMatch(r -> r instanceof Driver.Failed f && f.error() == DriverError.ENOTTY);
        }
    }
}
