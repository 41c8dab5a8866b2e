package dev.snpsim.guest.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.guest.driver.FakeFirmware.Step;
import dev.snpsim.host.kvm.Vcpu;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * Regression for AMDESE/AMDSEV#265: concurrent callers on one guest once received reports
 * carrying another caller's REPORT_DATA. Here 64 callers ask at the same instant across 4 vCPUs
 * and each must get its own data, with one request on the vCPUs at a time.
 */
class ConcurrentCallersTest {
    @Test
    void everyCallerGetsItsOwnReportData() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "concurrent", SimConfig.virtual(3))) {
            FakeFirmware fw = new FakeFirmware(2);
            List<ScriptedVcpu> scripted = new ArrayList<>();
            List<ActorRef<Vcpu.Command>> vcpus = new ArrayList<>();
            int[] n = {0};
            for (int i = 0; i < 4; i++) {
                ScriptedVcpu s = new ScriptedVcpu();
                scripted.add(s);
                // every fifth exit is answered BUSY, so retries interleave with the queue
                vcpus.add(sim.spawn(s.behavior(fw, () -> n[0]++ % 5 == 4 ? Step.BUSY : Step.OK,
                        Duration.ofMillis(8)), "vcpu-" + i));
            }
            ActorRef<Driver.Command> driver = sim.spawn(Driver.create("g", fw.memory, FakeFirmware.SECRETS_GPA, vcpus,
                    DriverConfig.linuxDefaults(), new SeqnoGuard()), "driver");
            int callers = 64;
            List<SimProbe<Driver.ReportReply>> probes = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                SimProbe<Driver.ReportReply> p = sim.probe("caller-" + c);
                probes.add(p);
                byte[] data = new byte[64];
                data[0] = (byte) c;
                data[63] = (byte) ~c;
                boolean ext = c % 2 == 0;
                sim.tell(driver, ext ? new Driver.GetExtendedReport(data, 0, 0, 2, p.ref())
                        : new Driver.GetReport(data, 0, 0, p.ref()));
            }
            sim.runUntilIdle();
            for (int c = 0; c < callers; c++) {
                Driver.ReportReply r = probes.get(c).receiveMessage(Duration.ZERO);
                assertThat(r).as("caller %d", c).isInstanceOf(Driver.Report.class);
                byte[] got = Arrays.copyOfRange(((Driver.Report) r).report(), 0x50, 0x90);
                assertThat(got[0]).as("caller %d report_data", c).isEqualTo((byte) c);
                assertThat(got[63]).isEqualTo((byte) ~c);
            }
            int exits = scripted.stream().mapToInt(s -> s.exits.size()).sum();
            assertThat(exits).isGreaterThan(callers);
            assertThat(scripted).allSatisfy(s -> assertThat(s.maxInFlight).isLessThanOrEqualTo(1));
            List<ScriptedVcpu.Exit> all = new ArrayList<>();
            scripted.forEach(s -> all.addAll(s.exits));
            all.sort((a, b) -> Long.compare(a.simNanos(), b.simNanos()));
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).simNanos()).as("one request on the vcpus at a time")
                        .isGreaterThanOrEqualTo(all.get(i - 1).simNanos() + 8_000_000L);
            }
            assertThat(all).allSatisfy(e -> assertThat(e.exitCode()).isIn(SvmExitCode.GUEST_REQUEST,
                    SvmExitCode.EXT_GUEST_REQUEST));
            assertThat(fw.firmwareSeqno(0)).isEqualTo(2L * callers);
        }
    }
}
