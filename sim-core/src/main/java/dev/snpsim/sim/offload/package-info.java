/**
 * Pure work computed ahead on worker threads, joined on the simulation thread.
 *
 * <p>Most of a faithful SNP simulation's CPU goes to two pure functions: the PSP's ECDSA P-384
 * report signature (RFC 6979, so a function of key and signed bytes) and the relying party's
 * signature check (a function of report and leaf key). {@link dev.snpsim.sim.offload.Offload}
 * lets model code start such a function early and {@link dev.snpsim.sim.offload.Offload.Task#join
 * join} it at the point in event order where the model needs the value. The value does not depend
 * on which thread computed it, or when, so a run gives the same results and trace digest with any
 * number of workers, including none.
 *
 * <p>Rules for callers: the function must only read immutable inputs (or data it synchronizes on
 * and whose outcome the caller re-validates at the join), must not touch actors, metrics, trace,
 * clock or seeded random streams, and its value may only influence the model through a join on
 * the simulation thread.
 */
package dev.snpsim.sim.offload;
