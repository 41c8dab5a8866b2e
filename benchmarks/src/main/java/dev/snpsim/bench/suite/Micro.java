package dev.snpsim.bench.suite;

import dev.snpsim.bench.abi.MessageBenchmark;
import dev.snpsim.bench.abi.ReportCryptoBenchmark;
import dev.snpsim.bench.sim.ActorRoundTripBenchmark;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH micro-benchmarks in one short run (one fork each, one 1 s warm-up and two 1 s
 * measured iterations): codec, seal/open, sign/verify (ours and raw Bouncy Castle) and an
 * actor round trip in virtual and in real time. For steadier figures run JMH directly with
 * longer settings (BENCHMARKS.md has the command).
 */
public final class Micro {
    private Micro() {
    }

    /** Operations per second by benchmark name ({@code Class.method}, with {@code [param]} if any). */
    public static Map<String, Double> run() throws RunnerException {
        Options opts = new OptionsBuilder()
                .include(MessageBenchmark.class.getName() + ".*")
                .include(ReportCryptoBenchmark.class.getName() + ".*")
                .include(ActorRoundTripBenchmark.class.getName() + ".*")
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS)
                .forks(1).warmupIterations(1).measurementIterations(2)
                .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> out = new TreeMap<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            String name = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
            String time = r.getParams().getParam("time");
            out.put(time == null ? name : name + "[" + time + "]", r.getPrimaryResult().getScore());
        }
        return out;
    }
}
