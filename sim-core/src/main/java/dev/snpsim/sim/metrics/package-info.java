/**
 * Simulation metrics by string key: HdrHistogram latency histograms,
 * constant-size summaries (count, sum, min, max), counters and time series in
 * fixed windows of simulated time, all iterated in sorted key order.
 */
package dev.snpsim.sim.metrics;
