package dev.snpsim.guest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.guest.TestHost;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverError;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import dev.snpsim.sim.metrics.Metrics;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workload against a scripted driver (a probe the test answers): each answer is counted
 * against the request it answers, in whatever order the driver answers.
 */
class WorkloadAnswerTest {
    private Simulation<Void> sim;
    private SimProbe<Driver.Command> driver;
    private Metrics metrics;

    @BeforeEach
    void setUp() {
        sim = Simulation.create(Behaviors.empty(), "workload-answer-test", SimConfig.virtual(11));
        driver = sim.probe("driver");
        metrics = sim.metrics();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private ActorRef<Workload.Command> start(int agents) {
        TenantConfig t = new TenantConfig("t", 1, 1, new WorkloadSpec.Closed(agents, Duration.ofSeconds(1), 0),
                RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.VCEK, 0, 2);
        ActorRef<Workload.Command> w = sim.spawn(Workload.create("t-0", t, driver.ref(),
                new RelyingParty(TestHost.ark())), "workload");
        sim.tell(w, Workload.Start.INSTANCE);
        return w;
    }

    @Test
    void anAnswerAheadOfAnEarlierRequestGoesToItsOwnRequest() {
        start(2);
        Driver.GetExtendedReport first = driver.expectMessageClass(Driver.GetExtendedReport.class);
        Driver.GetExtendedReport second = driver.expectMessageClass(Driver.GetExtendedReport.class);
        assertThat(second.tag()).isNotEqualTo(first.tag());
        assertThat(second.reportData()).isNotEqualTo(first.reportData());

        // the driver answers the second request first: it needs 5 pages
        sim.tell(second.replyTo(), new Driver.Failed(DriverError.NEED_PAGES, "too small", 0, 5, 0, 0, second.tag()));
        Driver.GetExtendedReport retry = driver.expectMessageClass(Driver.GetExtendedReport.class);
        assertThat(retry.reportData()).as("the retry is the second request's, with its nonce")
                .isEqualTo(second.reportData());
        assertThat(retry.pages()).isEqualTo(5);
        assertThat(retry.tag()).isNotIn(first.tag(), second.tag());

        // the first request fails for good: that agent thinks, the other's retry is still open
        sim.tell(first.replyTo(), new Driver.Failed(DriverError.EIO, "host failed", 0, 0, 0, 0, first.tag()));
        sim.runFor(Duration.ofMillis(500));
        assertThat(metrics.counter("guest/t/failed").get()).isEqualTo(1);
        driver.expectNoMessage(Duration.ofMillis(400));
        Driver.GetExtendedReport next = driver.expectMessageClass(Driver.GetExtendedReport.class);
        assertThat(next.pages()).as("the agent's next request uses the grown buffer").isEqualTo(5);
    }

    @Test
    void anAnswerTwiceOrToNoRequestCountsNothing() {
        start(1);
        Driver.GetExtendedReport req = driver.expectMessageClass(Driver.GetExtendedReport.class);
        Driver.Failed f = new Driver.Failed(DriverError.EIO, "host failed", 0, 0, 0, 0, req.tag());
        sim.tell(req.replyTo(), f);
        sim.tell(req.replyTo(), f);
        sim.tell(req.replyTo(), f.withTag(req.tag() + 1000));
        sim.runFor(Duration.ofMillis(100));
        assertThat(metrics.counter("guest/t/failed").get()).isEqualTo(1);
    }
}
