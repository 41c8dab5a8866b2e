/**
 * KVM's side of an SNP host: VMs and their vCPUs, guest memory with shared and private
 * pages, the certificate exits to userspace and the VMM that answers them.
 */
package dev.snpsim.host.kvm;
