/**
 * The relying party: every report a guest receives is verified with snp-abi's
 * {@link dev.snpsim.abi.verify.ReportVerifier} against the certificates that came with it (or the
 * guest's cached table for plain reports) and the product's ARK, and its REPORT_DATA must be the
 * nonce of the request that asked for it. Verified chains are cached by their bytes; the ECDSA
 * check runs for every report.
 *
 * <h2>Metric keys (in {@link dev.snpsim.sim.metrics.Metrics}), per tenant {@code <t>}</h2>
 * <ul>
 *   <li>{@code guest/<t>/requests} counter: requests answered (any outcome)</li>
 *   <li>{@code guest/<t>/verified} counter: reports that verified and carried the right nonce</li>
 *   <li>{@code guest/<t>/stale-certificate} counter: the report does not verify with the leaf it came
 *       with: bad signature, TCB mismatch, key kind (VCEK/VLEK) or chip-id mismatch</li>
 *   <li>{@code guest/<t>/rejected} counter: any other verifier rejection (chain, malformed, ...)</li>
 *   <li>{@code guest/<t>/nonce-mismatch} counter: a valid report carrying another request's REPORT_DATA</li>
 *   <li>{@code guest/<t>/no-certificates} counter: a plain report with no cached table to check it against</li>
 *   <li>{@code guest/<t>/busy-retries} counter: BUSY answers the driver slept on (sum over requests). The
 *       host's EAGAIN (certificates being updated) reaches the guest as BUSY too: the guest cannot tell
 *       them apart, so there is no guest-side EAGAIN counter (the VMM counts its own).</li>
 *   <li>{@code guest/<t>/enospc} counter: certificate buffer too small (INVALID_LEN, pages needed)</li>
 *   <li>{@code guest/<t>/timeouts} counter: BUSY for longer than the retry limit (ETIMEDOUT)</li>
 *   <li>{@code guest/<t>/vmpck-wiped} counter: failures that wiped the VMPCK (ETIMEDOUT, EIO, EBADMSG)</li>
 *   <li>{@code guest/<t>/enotty} counter: requests refused because the VMPCK was already wiped</li>
 *   <li>{@code guest/<t>/failed} counter: other driver failures (EIO, EBADMSG, response status, EINVAL)</li>
 *   <li>{@code guest/<t>/derived-keys} counter: derived keys received</li>
 *   <li>{@code guest/<t>/by-guest/<guest>/completed} counter: each guest's answered requests (for fairness)</li>
 *   <li>{@code guest/<t>/latency-w} windowed histogram and {@code guest/<t>/busy-ts} time series: the
 *       latency and BUSY retries per window, recorded only when a scenario runner registered them</li>
 *   <li>{@code guest/<t>/latency} histogram: ns from the request's intended send time to its answer
 *       (no coordinated omission: open workloads fix the intended time by the arrival process)</li>
 * </ul>
 */
package dev.snpsim.guest.rp;
