/**
 * The AMD Secure Processor as one serial actor ({@link dev.snpsim.psp.Psp}): the firmware
 * state machine ({@code firmware}), the service-time model ({@code service}) and the queue
 * disciplines in front of it ({@code queue}), configured by {@link dev.snpsim.psp.PspConfig}.
 *
 * <h2>Metric keys</h2>
 * With {@code <p>} the PSP's name ({@link dev.snpsim.psp.PspConfig#name()}, "psp" by default) and
 * {@code <vm>} the guest context id ({@code host} for platform commands), all times in ns of
 * simulated time:
 * <table>
 *   <caption>PSP metrics</caption>
 *   <tr><th>key</th><th>kind</th><th>meaning</th></tr>
 *   <tr><td>{@code <p>/busy-ns}</td><td>counter</td><td>total service time; utilisation = busy-ns /
 *       elapsed ({@link dev.snpsim.psp.PspMetrics#utilisation})</td></tr>
 *   <tr><td>{@code <p>/utilisation}</td><td>time series</td><td>service ns recorded at each completion;
 *       a window's sum / window length = utilisation in that window</td></tr>
 *   <tr><td>{@code <p>/queue-depth}</td><td>time series</td><td>commands waiting (the one in service
 *       excluded), recorded at every change</td></tr>
 *   <tr><td>{@code <p>/wait}</td><td>histogram</td><td>arrival to start of service</td></tr>
 *   <tr><td>{@code <p>/wait/<vm>}</td><td>summary</td><td>the same per VM: count, sum (mean),
 *       min, max ({@link dev.snpsim.sim.metrics.Metrics#summary}; constant memory per guest)</td></tr>
 *   <tr><td>{@code <p>/service}</td><td>histogram</td><td>service time</td></tr>
 *   <tr><td>{@code <p>/service/<vm>}</td><td>summary</td><td>service time per VM</td></tr>
 *   <tr><td>{@code <p>/commands}</td><td>counter</td><td>commands completed</td></tr>
 *   <tr><td>{@code <p>/cmd/<KIND>/<STATUS>}</td><td>counter</td><td>completed commands by
 *       {@link dev.snpsim.psp.CommandKind} name and firmware status name, e.g.
 *       {@code psp/cmd/SNP_GUEST_REQUEST/SUCCESS}</td></tr>
 *   <tr><td>{@code <p>/queue-full}, {@code <p>/queue-full/<vm>}</td><td>counter</td><td>guest requests
 *       refused by the bounded queue</td></tr>
 * </table>
 *
 * <h2>Trace events</h2>
 * Entity {@code <p>}: {@code cmd-done cmd=<KIND> vm=<vm> status=<STATUS> wait=<ns> service=<ns>}
 * per completed command and {@code queue-full cmd=<KIND> vm=<vm>} per refusal.
 *
 * <h2>Random streams</h2>
 * {@code <p>/service} (service times) and {@code <p>/firmware} (VMPCKs, report ids).
 */
package dev.snpsim.psp;
