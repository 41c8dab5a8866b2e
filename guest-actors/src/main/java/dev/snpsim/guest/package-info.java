/**
 * The guests of a simulated SNP host: the {@code sev-guest} driver ({@code driver}), the
 * attestation workloads that load the host ({@code workload}), the relying party that verifies
 * every report they get ({@code rp}) and guests that misbehave on purpose ({@code hostile}).
 */
package dev.snpsim.guest;
