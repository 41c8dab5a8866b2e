package dev.snpsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.snpsim.host.nativekvm.KvmProbe;
import dev.snpsim.host.nativekvm.ProbeResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code snpsim probe}: what this host's KVM offers the native backend. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Report what this host's /dev/kvm and /dev/sev offer, and what snpsim can do here.")
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ProbeResult r = KvmProbe.probe();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kvmPresent", r.kvmPresent());
        m.put("apiVersion", r.apiVersion());
        m.put("vmTypes", r.vmTypes());
        m.put("snpVmSupported", r.snpVmSupported());
        m.put("exitCocoMask", r.exitCocoMask());
        m.put("snpReqCertsAttr", r.snpReqCertsAttr());
        m.put("sevDevice", r.sevDevice());
        m.put("summary", r.summary());
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf("/dev/kvm             %s%n", r.kvmPresent() ? "usable, API version " + r.apiVersion() : "not usable");
            out.printf("VM types             %s%n", String.join(", ", r.vmTypes()));
            out.printf("SNP VM type          %s%n", r.snpVmSupported() ? "offered (KVM_X86_SNP_VM)" : "not offered");
            out.printf("KVM_CAP_EXIT_COCO    %s%n", r.exitCocoMask() < 0 ? "not reported" : String.format("mask 0x%x", r.exitCocoMask()));
            out.printf("SNP_REQ_CERTS exit   %s%n", r.snpReqCertsAttr() ? "reported" : "not reported");
            out.printf("/dev/sev             %s%n", r.sevDevice() ? "present" : "absent");
            out.println();
            out.println(r.summary());
        }
        return 0;
    }
}
