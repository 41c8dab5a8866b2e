package dev.snpsim.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snpsim.host.nativekvm.KvmProbe;
import dev.snpsim.scenario.ScenarioException;
import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scenario's native block through the runner: real vCPUs, real exits, every report verified. */
class NativePointExecutorTest {
    private static final String NATIVE = """
            name: native-mini
            duration: 2m
            mode: realtime
            native: { vcpus: 2, requestsPerVcpu: 40, initialCertPages: 1, rateLimit: per-vm-5-1 }
            """;

    private static ScenarioLoader.Point point() {
        return ScenarioLoader.load(new ScenarioLoader.Source("n.yaml", NATIVE, false), List.of(), 1L).get(0);
    }

    @Test
    void realVcpusDriveTheSimulatedHostAndEveryReportVerifies() {
        assumeTrue(KvmProbe.probe().kvmPresent(), "no usable /dev/kvm here: " + KvmProbe.probe().summary());
        PointResult r = new NativePointExecutor().run(point(), true, (s, w, e) -> { });
        assertThat(r.totals().verified()).isEqualTo(80);
        assertThat(r.totals().enospc()).as("one INVALID_LEN per vCPU").isEqualTo(2);
        assertThat(r.totals().failed()).isZero();
        assertThat(r.tenants().get(0).latencyMs().p50()).isPositive();
        @SuppressWarnings("unchecked")
        Map<String, Long> exits = (Map<String, Long>) r.nativeFigures().get("exitsByReason");
        assertThat(exits.get("IO")).isGreaterThanOrEqualTo(82L);  // a doorbell per request and retry, plus counters
        assertThat(exits.get("HLT")).isEqualTo(2L);
        assertThat(r.nativeFigures().get("certBuffersMatchBlob")).isEqualTo(2);
    }

    @Test
    void virtualTimeIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new NativePointExecutor().run(point(), false, (s, w, e) -> { }))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("only in real time");
    }
}
