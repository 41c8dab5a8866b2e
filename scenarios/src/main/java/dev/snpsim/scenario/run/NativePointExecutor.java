package dev.snpsim.scenario.run;

import dev.snpsim.host.nativekvm.KvmException;
import dev.snpsim.host.nativekvm.NativeScenario;
import dev.snpsim.host.nativekvm.NativeScenarioConfig;
import dev.snpsim.host.nativekvm.NativeScenarioResult;
import dev.snpsim.host.nativekvm.VcpuOutcome;
import dev.snpsim.scenario.NativeSpec;
import dev.snpsim.scenario.PointExecutor;
import dev.snpsim.scenario.ScenarioException;
import dev.snpsim.scenario.ScenarioLoader;
import dev.snpsim.scenario.results.PointResult;
import dev.snpsim.sim.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario's {@code native} block: real vCPUs on {@code /dev/kvm} driving the simulated
 * host's actors in real time. One tenant, {@code native}, stands for the one VM.
 */
public final class NativePointExecutor implements PointExecutor {
    @Override
    public PointResult run(ScenarioLoader.Point point, boolean realtime, ProgressListener progress) {
        if (!realtime) {
            throw new ScenarioException(point.spec().name() + ": the native backend runs real vCPUs, so only in "
                    + "real time (drop --mode virtual)");
        }
        NativeSpec n = point.spec().nativeBackend();
        NativeScenarioConfig config = new NativeScenarioConfig(n.vcpus(), n.requestsPerVcpu(), n.initialCertPages(),
                n.maxCertPages(), n.rateLimit(), n.pspRequestTime(), point.seed(), point.spec().duration());
        NativeScenarioResult r;
        try {
            r = NativeScenario.run(config);
        } catch (KvmException e) {
            throw new ScenarioException(point.spec().name() + ": the native backend cannot run here: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException(point.spec().name() + ": interrupted", e);
        }
        if (!r.error().isEmpty()) {
            throw new ScenarioException(point.spec().name() + ": native run failed: " + r.error());
        }
        progress.onProgress((long) (r.wallSeconds() * 1e9), (long) (r.wallSeconds() * 1e9), r.totalExits());
        PointResult.Counters c = new PointResult.Counters(r.requests(), r.verified(), r.verifyFailures(), r.busy(), 0,
                r.invalidLen(), 0, 0, r.failures());
        var p = r.requestMillis();
        PointResult.Latency latency = new PointResult.Latency(p.p50(), p.p90(), p.p99(), p.max(), p.max(), Double.NaN,
                r.requests());
        PointResult.TenantResult tenant = PointResult.TenantResult.of("native", 1, c,
                r.wallSeconds() > 0 ? r.verified() / r.wallSeconds() : 0, latency, PointResult.Latency.NONE);
        return new PointResult(point.parameters(), point.seed(), "", r.wallSeconds(), r.wallSeconds(), r.totalExits(), c,
                List.of(tenant), new PointResult.PspResult(0, 0, r.gateForwarded(), 0), new PointResult.Fairness(1),
                List.of(), List.of(), figures(r));
    }

    private static Map<String, Object> figures(NativeScenarioResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", r.config().vcpus());
        m.put("exitsByReason", r.exitsByReason());
        m.put("totalExits", r.totalExits());
        m.put("meanKvmRunMicros", r.meanKvmRunMicros());
        m.put("doorbells", r.doorbells());
        m.put("vmgexits", r.vmgexits());
        m.put("gateForwarded", r.gateForwarded());
        m.put("gateThrottled", r.gateThrottled());
        m.put("doorbellMillis", Map.of("p50", r.doorbellMillis().p50(), "p90", r.doorbellMillis().p90(),
                "p99", r.doorbellMillis().p99(), "max", r.doorbellMillis().max()));
        m.put("certBuffersMatchBlob", r.certBuffersMatchBlob());
        List<String> outcomes = new ArrayList<>();
        for (VcpuOutcome o : r.outcomes()) {
            outcomes.add(String.valueOf(o));
        }
        m.put("vcpuOutcomes", outcomes);
        m.put("lastFailure", r.lastFailure());
        return m;
    }
}
