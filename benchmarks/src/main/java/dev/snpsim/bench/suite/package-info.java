/**
 * The figures of {@code snpsim bench}: the crypto floor ({@link dev.snpsim.bench.suite.Floor}),
 * the reference scenario and the flat-out host through the scenario runner
 * ({@link dev.snpsim.bench.suite.Macro}), the scale probe in a child JVM
 * ({@link dev.snpsim.bench.suite.ScaleProbe}), the JMH micro-benchmarks
 * ({@link dev.snpsim.bench.suite.Micro}), all run in one process by
 * {@link dev.snpsim.bench.suite.Suite} so that ratios compare like with like.
 */
package dev.snpsim.bench.suite;
