package dev.snpsim.guest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.guest.TestHost;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.host.kvm.HostAbiProfile;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.sim.metrics.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workloads on a whole simulated host, in virtual time. */
class WorkloadTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static ActorRef<Workload.Command> start(TestHost host, String id, TenantConfig t, RelyingParty rp) {
        Vm.Launched l = host.launch(VmConfig.snp(id, t.vcpusPerGuest()));
        ActorRef<Driver.Command> d = host.sim.spawn(Driver.create(id, l, DriverConfig.linuxDefaults()), id + "-driver");
        ActorRef<Workload.Command> w = host.sim.spawn(Workload.create(id, t, d, rp), id + "-workload");
        host.sim.tell(w, Workload.Start.INSTANCE);
        return w;
    }

    @Test
    void openArrivalsComeAtTheConfiguredRate() {
        try (TestHost host = new TestHost(dir, 5, HostAbiProfile.COCO, "off")) {
            TenantConfig t = new TenantConfig("open", 1, 1, new WorkloadSpec.Open(5, 0), RequestMix.extendedOnly(),
                    TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            start(host, "open-0", t, new RelyingParty(TestHost.ark()));
            host.sim.runFor(Duration.ofSeconds(30));
            Metrics m = host.sim.metrics();
            long verified = m.counter("guest/open/verified").get();
            assertThat(verified).as("~150 arrivals in 30 s at 5/s").isBetween(120L, 180L);
            assertThat(m.counter("guest/open/requests").get()).isEqualTo(verified);
            Histogram h = m.histogram("guest/open/latency");
            assertThat(h.getValueAtPercentile(50)).as("unloaded: one psp service time").isLessThan(100_000_000L);
        }
    }

    @Test
    void latencyCountsFromTheIntendedSendTimeSoQueueingShows() {
        // one request per second gets through (per-vm 1000 ms, burst 1) while 4/s arrive: the driver queue grows
        try (TestHost host = new TestHost(dir, 6, HostAbiProfile.COCO, "per-vm-1000-1")) {
            TenantConfig t = new TenantConfig("q", 1, 1, new WorkloadSpec.Open(4, 40), RequestMix.extendedOnly(),
                    TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            start(host, "q-0", t, new RelyingParty(TestHost.ark()));
            host.sim.runFor(Duration.ofMinutes(10));
            Metrics m = host.sim.metrics();
            assertThat(m.counter("guest/q/verified").get()).isEqualTo(40);
            Histogram h = m.histogram("guest/q/latency");
            assertThat(h.getTotalCount()).isEqualTo(40);
            assertThat(h.getMaxValue()).as("the last of 40 requests waited behind the others").isGreaterThan(20 * SECOND);
            assertThat(m.counter("guest/q/busy-retries").get()).isGreaterThan(0);
        }
    }

    @Test
    void closedAgentsThinkBetweenRequests() {
        try (TestHost host = new TestHost(dir, 7, HostAbiProfile.COCO, "off")) {
            TenantConfig t = new TenantConfig("closed", 2, 1, new WorkloadSpec.Closed(1, Duration.ofSeconds(1), 5),
                    new RequestMix(1, 1, 1), TenantConfig.SigningKeyPreference.VCEK, 0, 4);
            RelyingParty rp = new RelyingParty(TestHost.ark());
            start(host, "closed-0", t, rp);
            start(host, "closed-1", t, rp);
            host.sim.runFor(Duration.ofSeconds(3));
            Metrics m = host.sim.metrics();
            assertThat(m.counter("guest/closed/requests").get()).as("3 per guest in 3 s: at 0, ~1 and ~2 s")
                    .isEqualTo(6);
            host.sim.runFor(Duration.ofSeconds(30));
            assertThat(m.counter("guest/closed/requests").get()).isEqualTo(10);
            assertThat(m.counter("guest/closed/verified").get() + m.counter("guest/closed/derived-keys").get())
                    .isEqualTo(10);
        }
    }
}
