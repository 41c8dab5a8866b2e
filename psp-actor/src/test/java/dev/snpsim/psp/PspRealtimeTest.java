package dev.snpsim.psp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.psp.service.ServiceTimeFixed;
import dev.snpsim.psp.service.ServiceTimes;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same PSP on the real-time twin (default dispatcher and scheduler), as the native backend runs it. */
class PspRealtimeTest {
    @Test
    void servesGuestRequestsInRealTime() {
        PspConfig cfg = PspHarness.config().withServiceTimes(ServiceTimes.all(ServiceTimeFixed.ofMillis(1)));
        try (Simulation<Psp.Command> sim = Simulation.create(Psp.create(cfg), "psp-rt", SimConfig.realtime(3))) {
            SimProbe<Psp.LaunchReply> launch = sim.probe("launch");
            sim.tell(sim.system(), new Psp.LaunchStart("vm", GuestPolicy.DEFAULT, launch.ref()));
            sim.tell(sim.system(), new Psp.LaunchUpdate("vm", PageType.SECRETS, 0x1000, null, launch.ref()));
            sim.tell(sim.system(), new Psp.LaunchFinish("vm", null, null, launch.ref()));
            List<Psp.LaunchReply> launched = launch.receiveMessages(3, Duration.ofSeconds(30));
            assertThat(launched).allSatisfy(r -> assertThat(r.status()).isEqualTo(FirmwareStatus.SUCCESS));
            GuestSession s = new GuestSession(launched.get(1).page(), 0);
            SimProbe<Psp.GuestResponse> replies = sim.probe("replies");
            GuestSession.Sealed a = s.report(GuestSession.data(1));
            GuestSession.Sealed b = s.report(GuestSession.data(2));
            sim.tell(sim.system(), new Psp.GuestRequest("vm", a.page(), replies.ref()));
            sim.tell(sim.system(), new Psp.GuestRequest("vm", b.page(), replies.ref()));
            List<Psp.GuestResponse> got = replies.receiveMessages(2, Duration.ofSeconds(30));
            assertThat(AttestationReport.decode(s.openReport(a, got.get(0).response()).report()).reportData())
                    .isEqualTo(GuestSession.data(1));
            assertThat(AttestationReport.decode(s.openReport(b, got.get(1).response()).report()).reportData())
                    .isEqualTo(GuestSession.data(2));
            assertThat(replies.receivedAt(1) - replies.receivedAt(0)).isGreaterThanOrEqualTo(1_000_000L);
        }
    }
}
