package dev.snpsim.host.nativekvm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The one precondition of the tests that need real KVM. */
final class KvmAssumptions {
    private KvmAssumptions() {
    }

    static void assumeKvm() {
        Path kvm = Path.of("/dev/kvm");
        assumeTrue(Files.exists(kvm), "/dev/kvm does not exist: this host has no KVM (no hardware"
                + " virtualization, module not loaded, or a container without the device)");
        assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm),
                "/dev/kvm exists but this user may not open it read-write (join the kvm group)");
    }
}
