package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole bridge on real /dev/kvm: real vCPUs, simulated PSP, certificate store, KVM and VMM. */
class NativeScenarioTest {
    private static final int VCPUS = 3;
    private static final int REQUESTS = 200;

    @BeforeEach
    void kvm() {
        assumeKvm();
    }

    @Test
    void severalRealVcpusGetHundredsOfVerifiedReportsThroughBusyAndInvalidLen() throws Exception {
        NativeScenarioConfig config = NativeScenarioConfig.defaults().withVcpus(VCPUS).withRequestsPerVcpu(REQUESTS)
                .withRateLimiter("per-vm-10-1")
                .withPspRequestTime(Duration.ofMillis(1)).withTimeout(Duration.ofMinutes(2));

        NativeScenarioResult r = NativeScenario.run(config);
        System.out.print(r.describe());

        assertThat(r.error()).isEmpty();
        assertThat(r.lastFailure()).isEmpty();
        assertThat(r.allVerified()).isTrue();
        assertThat(r.verified()).isEqualTo(VCPUS * REQUESTS);
        assertThat(r.busy()).as("busy answers").isPositive();
        assertThat(r.invalidLen()).as("one INVALID_LEN per vcpu: 1 page offered, the table needs 2")
                .isEqualTo(VCPUS);
        assertThat(r.requests()).as("each INVALID_LEN is followed by a new request")
                .isEqualTo(VCPUS * (REQUESTS + 1L));
        // the guest program's own counters agree with the host's
        long guestBusy = 0;
        for (VcpuOutcome o : r.outcomes()) {
            GuestCounters c = o.counters().orElseThrow();
            assertThat(c.successes()).isEqualTo(REQUESTS);
            assertThat(c.invalidLenRetries()).isEqualTo(1);
            assertThat(c.badTables() + c.errors()).isZero();
            guestBusy += c.busyRetries();
        }
        assertThat(guestBusy).isEqualTo(r.busy());
        assertThat(r.gateThrottled()).as("every BUSY came from the host rate limiter").isEqualTo(r.busy());
        assertThat(r.certBuffersMatchBlob()).isEqualTo(VCPUS);
        assertThat(r.exitsByReason().get("IO")).as("doorbells and counter reports are real io exits")
                .isEqualTo(r.doorbells() + VCPUS * GuestProgram.REPORTED_COUNTERS);
        assertThat(r.exitsByReason().get("HLT")).isEqualTo(VCPUS);
        assertThat(r.requestMillis().p50()).isPositive();
        assertThat(r.requestMillis().max()).isGreaterThanOrEqualTo(r.requestMillis().p99());
    }
}
