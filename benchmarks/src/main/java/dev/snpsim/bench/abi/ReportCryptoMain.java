package dev.snpsim.bench.abi;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link ReportCryptoBenchmark} in JMH's sample-time mode and prints, per benchmark,
 * ops/s (from the mean time per operation), the fastest and the median operation, and
 * the ratios of ours to raw Bouncy Castle (sign vs rawBcSign, verifySignature and
 * verifyReport vs rawBcVerify) on the fastest and on the median operations, which a busy
 * machine disturbs least.
 * Arguments are JMH's (e.g. {@code -wi 1 -i 3 -f 1 -w 2s -r 2s}, the default).
 */
public final class ReportCryptoMain {
    private ReportCryptoMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        String[] jmhArgs = args.length > 0 ? args : new String[] {"-wi", "1", "-i", "3", "-f", "1", "-w", "2s", "-r", "2s"};
        Options opts = new OptionsBuilder().parent(new CommandLineOptions(jmhArgs))
                .include(ReportCryptoBenchmark.class.getName() + ".*")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS).build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Statistics> byName = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getStatistics());
        }
        System.out.println();
        System.out.println("report crypto, per operation (us) and throughput");
        System.out.printf(Locale.ROOT, "  %-16s %12s %10s %10s %10s%n", "benchmark", "ops/s(mean)", "min", "p50", "p90");
        byName.forEach((n, s) -> System.out.printf(Locale.ROOT, "  %-16s %12.1f %10.2f %10.2f %10.2f%n", n,
                1e6 / s.getMean(), s.getMin(), s.getPercentile(50), s.getPercentile(90)));
        ratio(byName, "sign", "rawBcSign");
        ratio(byName, "verifySignature", "rawBcVerify");
        ratio(byName, "verifyReport", "rawBcVerify");
    }

    /**
     * Throughput ratio ours / raw (raw time / our time), on the fastest operations and on
     * the medians: on a shared machine the minimum is the least disturbed figure.
     */
    private static void ratio(Map<String, Statistics> byName, String ours, String raw) {
        if (byName.containsKey(ours) && byName.containsKey(raw)) {
            Statistics o = byName.get(ours);
            Statistics w = byName.get(raw);
            System.out.printf(Locale.ROOT, "  throughput ratio %s / %s = %.3f on min, %.3f on p50%n", ours, raw,
                    w.getMin() / o.getMin(), w.getPercentile(50) / o.getPercentile(50));
        }
    }
}
