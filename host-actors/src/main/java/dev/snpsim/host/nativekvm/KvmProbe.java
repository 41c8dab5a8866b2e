package dev.snpsim.host.nativekvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Finds out what {@code /dev/kvm} on this host offers; never throws. */
public final class KvmProbe {
    /** The host PSP driver's device node. */
    public static final Path SEV_DEVICE = Path.of("/dev/sev");

    private KvmProbe() {
    }

    /** Probes this host. */
    public static ProbeResult probe() {
        return probe(Kvm.DEVICE, SEV_DEVICE);
    }

    /** Probes with the given device nodes (tests point them elsewhere). */
    static ProbeResult probe(Path kvmDevice, Path sevDevice) {
        boolean sev = Files.exists(sevDevice);
        if (!Files.exists(kvmDevice)) {
            return absent(sev, kvmDevice + " does not exist");
        }
        try (Kvm kvm = Kvm.open(kvmDevice)) {
            int api = kvm.apiVersion();
            int typeMask = kvm.checkExtension(KvmIoctl.KVM_CAP_VM_TYPES);
            List<String> types = vmTypes(typeMask);
            boolean snp = (typeMask & (1 << KvmIoctl.KVM_X86_SNP_VM)) != 0;
            long coco = exitCocoMask(kvm);
            OptionalLong reqCerts = kvm.deviceAttribute(KvmIoctl.KVM_X86_GRP_SEV,
                    KvmIoctl.KVM_X86_SEV_SNP_REQ_CERTS);
            boolean reqCertsAttr = reqCerts.isPresent() && reqCerts.getAsLong() == 1;
            return new ProbeResult(true, api, types, snp, coco, reqCertsAttr, sev,
                    summary(api, snp, coco, reqCertsAttr, sev));
        } catch (RuntimeException | LinkageError e) { // KvmException, or JNA unable to load libc
            return absent(sev, e.getMessage());
        }
    }

    private static ProbeResult absent(boolean sev, String problem) {
        return new ProbeResult(false, 0, List.of(), false, -1, false, sev,
                "no usable /dev/kvm (" + problem + "): snpsim can run every scenario in simulation,"
                        + " but not the native backend");
    }

    /** Names of the set bits of a KVM_CAP_VM_TYPES mask; 0 (capability absent) means default only. */
    static List<String> vmTypes(int mask) {
        if (mask == 0) {
            return List.of(KvmIoctl.vmTypeName(KvmIoctl.KVM_X86_DEFAULT_VM));
        }
        List<String> names = new ArrayList<>();
        for (int type = 0; type < 32; type++) {
            if ((mask & (1 << type)) != 0) {
                names.add(KvmIoctl.vmTypeName(type));
            }
        }
        return names;
    }

    /** KVM_CAP_EXIT_COCO is a per-VM capability: asked on a short-lived default VM. */
    private static long exitCocoMask(Kvm kvm) {
        try (KvmVm vm = kvm.createVm(KvmIoctl.KVM_X86_DEFAULT_VM)) {
            int mask = vm.checkExtension(KvmIoctl.KVM_CAP_EXIT_COCO);
            return mask == 0 ? -1 : mask & 0xFFFF_FFFFL;
        }
    }

    static String summary(int api, boolean snp, long coco, boolean reqCerts, boolean sev) {
        String base = "KVM API " + api + " with real vCPUs: snpsim can run the native backend's"
                + " guest-request doorbell program on real vCPUs";
        if (snp && sev) {
            String exit = reqCerts ? " with upstream KVM_EXIT_SNP_REQ_CERTS certificate exits"
                    : coco >= 0 ? " with KVM_EXIT_COCO certificate exits (patched kernel)"
                    : " (no certificate exit: KVM returns an empty table)";
            return base + ", and this host offers SNP VMs" + exit
                    + ", which snpsim does not exercise yet (see LIMITATIONS.md)";
        }
        if (snp) {
            return base + "; KVM lists the SNP VM type but /dev/sev is absent, so no SNP guest can launch";
        }
        return base + " in a default (non-SNP) VM; SEV-SNP itself is simulated (no KVM_X86_SNP_VM"
                + (sev ? "" : ", no /dev/sev") + ")";
    }
}
