/**
 * The hypervisor boundary: GHCB exit codes and the SW_EXITINFO2 result (GHCB spec 2.0),
 * SEV firmware status codes, the errno values KVM and the VMM trade, and the three
 * generations of the KVM userspace certificate exit as they sit in {@code struct kvm_run}.
 */
package dev.snpsim.abi.ghcb;
