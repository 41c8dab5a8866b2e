/**
 * Attestation load: per-tenant configuration ({@link dev.snpsim.guest.workload.TenantConfig}),
 * the arrival processes ({@link dev.snpsim.guest.workload.WorkloadSpec}: open Poisson arrivals,
 * closed loops with think time), the request mix, and the {@link dev.snpsim.guest.workload.Workload}
 * actor that drives one guest's driver and hands every answer to the relying party. Boot storms:
 * the scenario runner launches VMs through {@code Vm.Launch} and, for each {@code Launched},
 * calls {@link dev.snpsim.guest.workload.GuestStarter#start} to add its driver and workload while
 * other guests keep attesting.
 */
package dev.snpsim.guest.workload;
