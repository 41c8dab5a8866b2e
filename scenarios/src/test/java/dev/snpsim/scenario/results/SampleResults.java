package dev.snpsim.scenario.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made figures for testing the writers without running a simulation. */
public final class SampleResults {
    private SampleResults() {
    }

    public static PointResult point(int guests, long seed, long stale) {
        List<PointResult.Window> ws = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ws.add(new PointResult.Window(i, 10 + i % 3, 10 + i % 3, 0.5 * (i % 4), 12.5 + i % 7, i % 5 == 0 ? 2 : 0, 0, i % 9));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("guests", guests);
        params.put("locking", true);
        PointResult.Counters victims = new PointResult.Counters(600, 590, stale, 12, 3, 1, 0, 0, 10 - stale);
        PointResult.Counters attacker = new PointResult.Counters(9000, 100, 0, 8000, 0, 0, 5, 1, 0);
        return new PointResult(params, seed, "ab".repeat(32), 60, 1.5, 123_456, victims.plus(attacker),
                List.of(PointResult.TenantResult.of("victims", guests, victims, 9.8,
                                new PointResult.Latency(9.1, 15.2, 40.3, 80.1, 120.0, 11.2, 590), PointResult.Latency.NONE),
                        PointResult.TenantResult.of("attacker", 1, attacker, 1.6,
                                new PointResult.Latency(2000, 4000, 8000, 8100, 8200, 2500, 100), PointResult.Latency.NONE)),
                new PointResult.PspResult(0.93, 4.2, 9600, 33.3), new PointResult.Fairness(0.55), ws, List.of(), null);
    }
}
