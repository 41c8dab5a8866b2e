/**
 * Runs a scenario point on the simulated host: {@link dev.snpsim.scenario.run.ScenarioHost} is the
 * simulation's guardian (host, tenants' VMs and guests, the management schedule),
 * {@link dev.snpsim.scenario.run.SimulatedPointExecutor} drives it and
 * {@link dev.snpsim.scenario.run.MetricsCollector} turns its metrics into results.
 *
 * <h2>Metric keys added here</h2>
 * <ul>
 *   <li>{@code boot/<tenant>} histogram: ns from asking for a VM to its launch finishing (the PSP
 *       serves launch commands from the same queue as guest requests)</li>
 *   <li>{@code boot-failed/<tenant>} counter: launches the firmware refused</li>
 *   <li>{@code mgmt/<action>/<result>} counter: management operations by outcome</li>
 * </ul>
 */
package dev.snpsim.scenario.run;
