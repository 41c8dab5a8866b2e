package dev.snpsim.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against queueing theory, through the whole host (guest drivers, vCPUs, the
 * kernel gate, the PSP): Poisson arrivals and a fixed service time make the PSP an M/D/1
 * queue. Derived-key requests keep the crypto cheap; they queue exactly like reports.
 */
class QueueingTheoryTest {
    private static final double SERVICE_MS = 8.0;

    @TempDir
    Path tmp;

    private PointResult run(String yaml) {
        ScenarioLoader.Point p = ScenarioLoader.load(new ScenarioLoader.Source("test.yaml", yaml, false), List.of(), 3L)
                .get(0);
        return new SimulatedPointExecutor(tmp).run(p, false, (s, w, e) -> { });
    }

    /** What a failure message needs to tell a stalled run from a slow one. */
    static String diagnostics(PointResult r) {
        return "events " + r.events() + ", simulated " + r.simulatedSeconds() + " s in " + r.wallSeconds()
                + " s, psp " + r.psp() + ", tenants " + r.tenants();
    }

    /** Mean wait in queue of M/D/1: W = rho * S / (2 (1 - rho)). */
    @Test
    void meanWaitMatchesMd1AtUtilisationOneHalf() {
        PointResult r = run("""
                name: md1
                duration: 410s
                warmup: 10s
                host: { psp: { serviceTime: { guestRequest: 8ms } } }
                tenants:
                  - name: poisson
                    guests: 250
                    workload: { type: open, rate: 0.25, request: key }
                """);
        double rho = r.psp().utilisation();
        assertThat(rho).as(diagnostics(r)).isCloseTo(0.5, within(0.02));
        double expected = rho * SERVICE_MS / (2 * (1 - rho));
        assertThat(r.psp().meanWaitMs()).as("mean wait vs M/D/1 %.3f ms", expected)
                .isCloseTo(expected, within(0.05 * expected));
        // the guests see the same queue: latency = wait + service
        assertThat(r.tenants().get(0).latencyMs().mean()).isCloseTo(SERVICE_MS + expected, within(0.05 * expected + 0.01));
        assertThat(r.totals().failed()).as(diagnostics(r)).isZero();
    }

    /** Offered load beyond capacity: throughput is one command per service time. */
    @Test
    void saturatedThroughputIsOnePerServiceTime() {
        PointResult r = run("""
                name: saturated
                duration: 70s
                warmup: 10s
                host: { psp: { serviceTime: { guestRequest: 8ms } } }
                tenants:
                  - name: flood
                    guests: 200
                    workload: { type: open, rate: 1.0, request: key }
                """);
        double capacity = 1000 / SERVICE_MS;
        assertThat(r.psp().utilisation()).as(diagnostics(r)).isCloseTo(1.0, within(0.005));
        assertThat(r.tenants().get(0).throughputPerSecond()).isCloseTo(capacity, within(0.02 * capacity));
    }
}
