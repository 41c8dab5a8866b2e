package dev.snpsim.host.kvm;

import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.KvmExitCoco;
import dev.snpsim.abi.ghcb.KvmRun;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.trace.Trace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One tenant's VM: its type (SNP or not), guest memory, vCPUs, VMM, the per-VM
 * {@code KVM_CAP_EXIT_COCO} bitmask, and its launch through the PSP
 * (SNP_LAUNCH_START, SNP_LAUNCH_UPDATE of every page including the secrets page, SNP_LAUNCH_FINISH).
 *
 * <p>Launch layout (fixed GPAs): the image's NORMAL pages from {@link #IMAGE_GPA}, a ZERO page
 * at {@link #ZERO_GPA}, the SECRETS page at {@link #SECRETS_GPA} and the CPUID page at
 * {@link #CPUID_GPA}, then one VMSA per vCPU; {@link #expectedMeasurement} folds the same pages
 * in the same order. The pages the firmware returns (secrets, CPUID) are placed privately. A
 * non-SNP VM launches without the PSP: no secrets page (GPA -1) and an empty measurement.
 *
 * <p>PROTOCOL FROZEN for guest-actors: add messages, do not change these records without
 * telling their owners.
 */
public final class Vm extends AbstractBehavior<Vm.Command> {
    /** Everything a VM accepts. */
    public interface Command {
    }

    /** Launches the guest (measured boot through the PSP) and creates its vCPUs. */
    public record Launch(ActorRef<Launched> replyTo) implements Command {
    }

    /**
     * The launch's outcome. With {@code status == SUCCESS}: the guest's memory (the secrets page
     * with the four VMPCKs, placed by the firmware, sits private at {@code secretsPageGpa}), its
     * vCPUs in index order, and the launch digest (the MEASUREMENT reports will carry). Otherwise
     * the firmware status of the command that failed, and null/empty for the rest.
     */
    public record Launched(String vmId, FirmwareStatus status, GuestMemory memory,
                           List<ActorRef<Vcpu.Command>> vcpus, long secretsPageGpa, byte[] measurement) {
    }

    /** {@code KVM_CHECK_EXTENSION(cap)} on the VM fd; the answer is {@link CapReply#result()}. */
    public record CheckExtension(int cap, ActorRef<CapReply> replyTo) implements Command {
    }

    /** {@code KVM_ENABLE_CAP(cap, args[0])}; result 0 or a negative errno. */
    public record EnableCap(int cap, long arg0, ActorRef<CapReply> replyTo) implements Command {
    }

    /** {@code KVM_SEV_SNP_ENABLE_REQ_CERTS} (profile SNP_REQ_CERTS); only before the vCPUs exist. */
    public record SnpEnableReqCerts(ActorRef<CapReply> replyTo) implements Command {
    }

    /**
     * Ends the VM: SNP_DECOMMISSION of its guest context (if it was launched) and stop; the VM's
     * vCPUs and VMM stop with it, and the VMM's blob descriptions are closed. A launch in progress
     * finishes first.
     */
    public record Shutdown(ActorRef<ShutDown> replyTo) implements Command {
    }

    /** The VM has stopped; {@code status} is SNP_DECOMMISSION's (SUCCESS when there was nothing to do). */
    public record ShutDown(String vmId, FirmwareStatus status) {
    }

    /** An ioctl's return value: a value, 0, or a negative errno. */
    public record CapReply(int result) {
    }

    private record LaunchStep(Psp.LaunchReply reply) implements Command {
    }

    private record Page(PageType type, long gpa, byte[] page) {
    }

    /** First GPA of the boot image. */
    public static final long IMAGE_GPA = 0x10_0000L;
    /** GPA of the ZERO page. */
    public static final long ZERO_GPA = 0x4000L;
    /** GPA of the SECRETS page (private; the firmware fills it with the VMPCKs). */
    public static final long SECRETS_GPA = 0x5000L;
    /** GPA of the CPUID page. */
    public static final long CPUID_GPA = 0x6000L;
    /** {@code KVM_CAP_EXIT_COCO} events this KVM supports (profile COCO only). */
    public static final int SUPPORTED_COCO_MASK = 1 << KvmExitCoco.REQ_CERTS;

    private final VmConfig config;
    private final KvmSetup kvm;
    private final Trace trace;
    private final String entity;
    private final ActorRef<Vmm.Command> vmm;
    private final GuestMemory memory;
    private final ActorRef<Psp.LaunchReply> launchAdapter;
    private final List<ActorRef<Vcpu.Command>> vcpus = new ArrayList<>();
    private int exitMask;
    private List<Page> steps;
    private int step;
    private ActorRef<Launched> launchReplyTo;
    private boolean launched;
    private ActorRef<ShutDown> shutdownReplyTo;
    private boolean decommissioning;

    public static Behavior<Command> create(VmConfig config, KvmSetup kvm) {
        return Behaviors.setup(ctx -> new Vm(ctx, config, kvm));
    }

    private Vm(ActorContext<Command> ctx, VmConfig config, KvmSetup kvm) {
        super(ctx);
        this.config = config;
        this.kvm = kvm;
        this.trace = Trace.get(ctx.getSystem());
        this.entity = config.vmId();
        this.memory = new GuestMemory(config.memoryBytes());
        this.exitMask = config.snp() ? config.enabledExitMask() & supportedMask() : 0;
        this.vmm = ctx.spawn(Vmm.create(config.vmId(), memory, kvm.certStore(), kvm.vmm()), "vmm");
        this.launchAdapter = ctx.messageAdapter(Psp.LaunchReply.class, LaunchStep::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Launch.class, this::onLaunch)
                .onMessage(LaunchStep.class, this::onLaunchStep)
                .onMessage(CheckExtension.class, this::onCheckExtension)
                .onMessage(EnableCap.class, this::onEnableCap)
                .onMessage(SnpEnableReqCerts.class, this::onSnpEnableReqCerts)
                .onMessage(Shutdown.class, this::onShutdown)
                .build();
    }

    private int supportedMask() {
        return kvm.profile() == HostAbiProfile.COCO || kvm.profile() == HostAbiProfile.SNP_REQ_CERTS
                ? SUPPORTED_COCO_MASK : 0;
    }

    private Behavior<Command> onCheckExtension(CheckExtension m) {
        int result = m.cap() == KvmRun.KVM_CAP_EXIT_COCO && kvm.profile() == HostAbiProfile.COCO && config.snp()
                ? SUPPORTED_COCO_MASK : 0;
        m.replyTo().tell(new CapReply(result));
        return this;
    }

    private Behavior<Command> onEnableCap(EnableCap m) {
        int supported = kvm.profile() == HostAbiProfile.COCO && config.snp() ? SUPPORTED_COCO_MASK : 0;
        if (m.cap() != KvmRun.KVM_CAP_EXIT_COCO || supported == 0 || (m.arg0() & ~(long) supported) != 0) {
            trace.record(entity, "enable-cap", "cap", m.cap(), "arg0", m.arg0(), "result", "EINVAL");
            m.replyTo().tell(new CapReply(-Errno.EINVAL));
            return this;
        }
        setExitMask((int) m.arg0());
        m.replyTo().tell(new CapReply(0));
        return this;
    }

    private Behavior<Command> onSnpEnableReqCerts(SnpEnableReqCerts m) {
        if (kvm.profile() != HostAbiProfile.SNP_REQ_CERTS || !config.snp() || !vcpus.isEmpty()) {
            m.replyTo().tell(new CapReply(-Errno.EINVAL));
            return this;
        }
        setExitMask(SUPPORTED_COCO_MASK);
        m.replyTo().tell(new CapReply(0));
        return this;
    }

    private void setExitMask(int mask) {
        exitMask = mask;
        trace.record(entity, "exit-mask", "mask", mask);
        for (ActorRef<Vcpu.Command> v : vcpus) {
            v.tell(new Vcpu.SetCertExits(certExits()));
        }
    }

    private boolean certExits() {
        return (exitMask & SUPPORTED_COCO_MASK) != 0;
    }

    private Behavior<Command> onLaunch(Launch m) {
        if (launched || launchReplyTo != null) {
            m.replyTo().tell(failed(FirmwareStatus.INVALID_GUEST_STATE));
            return this;
        }
        if (!config.snp()) {
            launched = true;
            spawnVcpus();
            trace.record(entity, "launched", "snp", false);
            m.replyTo().tell(new Launched(config.vmId(), FirmwareStatus.SUCCESS, memory, List.copyOf(vcpus), -1,
                    new byte[0]));
            return this;
        }
        launchReplyTo = m.replyTo();
        steps = pages(config);
        step = -1;
        kvm.gate().psp().tell(new Psp.LaunchStart(config.vmId(), config.policy(), launchAdapter));
        return this;
    }

    private Behavior<Command> onShutdown(Shutdown m) {
        if (shutdownReplyTo != null) {
            m.replyTo().tell(new ShutDown(config.vmId(), FirmwareStatus.INVALID_GUEST_STATE));
            return this;
        }
        shutdownReplyTo = m.replyTo();
        return launchReplyTo != null ? this : decommission();
    }

    /** Decommissions a launched SNP guest, else stops at once. */
    private Behavior<Command> decommission() {
        if (launched && config.snp()) {
            decommissioning = true;
            kvm.gate().psp().tell(new Psp.Decommission(config.vmId(), launchAdapter));
            return this;
        }
        return stop(FirmwareStatus.SUCCESS);
    }

    private Behavior<Command> stop(FirmwareStatus status) {
        trace.record(entity, "shutdown", "status", status);
        shutdownReplyTo.tell(new ShutDown(config.vmId(), status));
        return Behaviors.stopped();
    }

    private Behavior<Command> onLaunchStep(LaunchStep m) {
        Psp.LaunchReply r = m.reply();
        if (decommissioning) {
            return stop(r.status());
        }
        if (launchReplyTo == null) {
            return this;
        }
        if (r.status() != FirmwareStatus.SUCCESS) {
            trace.record(entity, "launch-failed", "step", step, "status", r.status());
            launchReplyTo.tell(failed(r.status()));
            launchReplyTo = null;
            return shutdownReplyTo != null ? decommission() : this;
        }
        if (step >= 0 && step < steps.size()) {
            Page done = steps.get(step);
            if (r.page() != null && (done.type() == PageType.SECRETS || done.type() == PageType.CPUID)) {
                memory.firmwareWrite(done.gpa(), r.page());
            }
        }
        step++;
        if (step < steps.size()) {
            Page p = steps.get(step);
            if (p.type() == PageType.NORMAL) {
                memory.firmwareWrite(p.gpa(), p.page());
            }
            kvm.gate().psp().tell(new Psp.LaunchUpdate(config.vmId(), p.type(), p.gpa(), p.page(), launchAdapter));
        } else if (step == steps.size()) {
            kvm.gate().psp().tell(new Psp.LaunchFinish(config.vmId(), null, config.hostData(), launchAdapter));
        } else {
            launched = true;
            spawnVcpus();
            byte[] measurement = expectedMeasurement(config);
            trace.record(entity, "launched", "snp", true, "pages", steps.size());
            steps = null;   // the launch pages (a VMSA per vCPU) are measured; no need to keep them
            launchReplyTo.tell(new Launched(config.vmId(), FirmwareStatus.SUCCESS, memory, List.copyOf(vcpus),
                    SECRETS_GPA, measurement));
            launchReplyTo = null;
            if (shutdownReplyTo != null) {
                return decommission();
            }
        }
        return this;
    }

    private void spawnVcpus() {
        for (int i = 0; i < config.vcpus(); i++) {
            Vcpu.Setup s = new Vcpu.Setup(config.vmId(), i, kvm.profile(), config.snp(), certExits(), memory,
                    kvm.gate(), vmm);
            vcpus.add(getContext().spawn(Vcpu.create(s), "vcpu-" + i));
        }
    }

    private Launched failed(FirmwareStatus status) {
        return new Launched(config.vmId(), status, null, List.of(), 0, null);
    }

    /** The pages SNP_LAUNCH_UPDATE measures, in order. */
    private static List<Page> pages(VmConfig c) {
        List<Page> out = new ArrayList<>();
        for (int i = 0; i < c.imagePages().size(); i++) {
            out.add(new Page(PageType.NORMAL, IMAGE_GPA + (long) i * GuestMemory.PAGE_SIZE, c.imagePages().get(i)));
        }
        out.add(new Page(PageType.ZERO, ZERO_GPA, null));
        out.add(new Page(PageType.SECRETS, SECRETS_GPA, null));
        out.add(new Page(PageType.CPUID, CPUID_GPA, null));
        for (int i = 0; i < c.vcpus(); i++) {
            out.add(new Page(PageType.VMSA, LaunchDigest.VMSA_GPA, vmsaPage(i)));
        }
        return out;
    }

    /** The VMSA page of vCPU {@code index} (a fixed marker and the index; its hash is what is measured). */
    public static byte[] vmsaPage(int index) {
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        byte[] marker = ("snpsim-vmsa-" + index).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, page, 0, marker.length);
        return page;
    }

    /** The MEASUREMENT a successful launch of {@code config} produces. */
    public static byte[] expectedMeasurement(VmConfig config) {
        LaunchDigest d = new LaunchDigest();
        for (Page p : pages(config)) {
            d.update(p.type(), p.gpa(), p.page());
        }
        return d.digest();
    }
}
