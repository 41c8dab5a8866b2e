package dev.snpsim.bench.abi;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ReportCryptoBenchmark} and prints ops/s per benchmark and the ratios of
 * ours to raw Bouncy Castle (sign / rawBcSign, verifySignature / rawBcVerify). Arguments
 * are JMH's (e.g. {@code -wi 2 -i 3 -f 1 -w 1s -r 1s}); with none, that short run.
 */
public final class ReportCryptoMain {
    private ReportCryptoMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        String[] jmhArgs = args.length > 0 ? args : new String[] {"-wi", "2", "-i", "3", "-f", "1", "-w", "1s", "-r", "1s"};
        Options opts = new OptionsBuilder().parent(new CommandLineOptions(jmhArgs))
                .include(ReportCryptoBenchmark.class.getName() + ".*").build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, double[]> byName = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            byName.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        System.out.println();
        System.out.println("report crypto throughput (ops/s, +- 99.9% error)");
        byName.forEach((n, s) -> System.out.printf(Locale.ROOT, "  %-16s %12.1f +- %.1f%n", n, s[0], s[1]));
        ratio(byName, "sign", "rawBcSign");
        ratio(byName, "verifySignature", "rawBcVerify");
        ratio(byName, "verifyReport", "rawBcVerify");
    }

    private static void ratio(Map<String, double[]> byName, String ours, String raw) {
        if (byName.containsKey(ours) && byName.containsKey(raw)) {
            System.out.printf(Locale.ROOT, "  ratio %s / %s = %.3f%n", ours, raw, byName.get(ours)[0] / byName.get(raw)[0]);
        }
    }
}
