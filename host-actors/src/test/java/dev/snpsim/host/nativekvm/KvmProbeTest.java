package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe on this host: KVM API 12, default VM type only, no SEV. */
class KvmProbeTest {

    @Test
    void probesThisHost() {
        assumeKvm();
        assumeFalse(Files.exists(KvmProbe.SEV_DEVICE), "/dev/sev exists: this is an SEV host, and"
                + " this test describes the non-SEV development hosts");
        ProbeResult p = KvmProbe.probe();

        assertThat(p.kvmPresent()).isTrue();
        assertThat(p.apiVersion()).isEqualTo(12);
        assertThat(p.vmTypes()).contains("KVM_X86_DEFAULT_VM").doesNotContain("KVM_X86_SNP_VM");
        assertThat(p.snpVmSupported()).isFalse();
        assertThat(p.exitCocoMask()).isEqualTo(-1);
        assertThat(p.snpReqCertsAttr()).isFalse();
        assertThat(p.sevDevice()).isFalse();
        assertThat(p.summary()).isEqualTo("KVM API 12 with real vCPUs: snpsim can run the native"
                + " backend's guest-request doorbell program on real vCPUs in a default (non-SNP) VM;"
                + " SEV-SNP itself is simulated (no KVM_X86_SNP_VM, no /dev/sev)");
    }

    @Test
    void aMissingDeviceIsReportedNotThrown() {
        ProbeResult p = KvmProbe.probe(Path.of("/nonexistent/kvm"), Path.of("/nonexistent/sev"));

        assertThat(p).isEqualTo(new ProbeResult(false, 0, List.of(), false, -1, false, false,
                "no usable /dev/kvm (/nonexistent/kvm does not exist): snpsim can run every scenario"
                        + " in simulation, but not the native backend"));
    }

    @Test
    void aDeviceThatIsNotKvmIsReportedNotThrown() {
        assumeTrue(Files.isWritable(Path.of("/dev/null")), "/dev/null is not writable here");
        ProbeResult p = KvmProbe.probe(Path.of("/dev/null"), Path.of("/nonexistent/sev"));

        assertThat(p.kvmPresent()).isFalse();
        assertThat(p.summary()).startsWith("no usable /dev/kvm (KVM_GET_API_VERSION on /dev/null failed: errno 25");
    }

    @Test
    void summariesForSnpHosts() {
        assertThat(KvmProbe.summary(12, true, -1, true, true)).endsWith("this host offers SNP VMs with"
                + " upstream KVM_EXIT_SNP_REQ_CERTS certificate exits, which snpsim does not exercise"
                + " yet (see LIMITATIONS.md)");
        assertThat(KvmProbe.summary(12, true, 1, false, true)).contains("KVM_EXIT_COCO");
        assertThat(KvmProbe.summary(12, true, -1, false, false)).contains("/dev/sev is absent");
    }
}
