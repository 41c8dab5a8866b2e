/**
 * One simulated SNP host in one call: {@link dev.snpsim.host.Host} starts the PSP, the
 * certificate store, the key distribution service, the management tool and the kernel's
 * gate to the PSP, writes the initial certificate blob, and creates tenant VMs on request.
 */
package dev.snpsim.host;
