package dev.snpsim.host.kvm;

import dev.snpsim.host.certstore.CertStore;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every VM of one host shares: the host's KVM ABI profile, the kernel's path to the PSP
 * (with the host rate limiter), the certificate store its VMMs read, and how they lock it.
 */
public record KvmSetup(HostAbiProfile profile, SevGate gate, ActorRef<CertStore.Command> certStore,
                       VmmConfig vmm) {
    public KvmSetup {
        if (profile == null || gate == null || certStore == null || vmm == null) {
            throw new IllegalArgumentException("kvm setup needs a profile, a gate, a certificate store and a vmm config");
        }
    }
}
