package dev.snpsim.host;

import dev.snpsim.host.certstore.CertBlobFile;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.certstore.OfdLockTable;
import dev.snpsim.host.kds.Kds;
import dev.snpsim.host.kvm.KvmSetup;
import dev.snpsim.host.kvm.SevGate;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.host.mgmt.Mgmt;
import dev.snpsim.host.mgmt.MgmtConfig;
import dev.snpsim.host.ratelimit.RateLimiterPreset;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.trace.Trace;
import java.util.ArrayDeque;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One simulated SNP host. At start it spawns the PSP, the certificate store over the blob
 * file, the KDS, the management tool and the kernel's gate to the PSP, then has the tool write
 * the initial blob from the platform's state (the VCEK chain of the reported TCB, or the chain
 * of a VLEK it loads first). {@link CreateVm} requests wait until that blob is written; a
 * second request for an existing VM id answers the existing VM; once a VM has shut down its id
 * can be used again.
 */
public final class Host extends AbstractBehavior<Host.Command> {
    /** Everything a host accepts. */
    public interface Command {
    }

    /** Creates a tenant VM (not yet launched); the reply is its address. */
    public record CreateVm(VmConfig config, ActorRef<ActorRef<Vm.Command>> replyTo) implements Command {
    }

    /** Asks for the host's parts, answered once the initial blob is written. */
    public record GetParts(ActorRef<Parts> replyTo) implements Command {
    }

    /** The host's parts, for scenarios that drive them directly. */
    public record Parts(ActorRef<Psp.Command> psp, ActorRef<CertStore.Command> certStore, ActorRef<Kds.Command> kds,
                        ActorRef<Mgmt.Command> mgmt, SevGate gate, Mgmt.Done initialBlob) {
    }

    private record Ready(Mgmt.Done done) implements Command {
    }

    private record VmStopped(String vmId) implements Command {
    }

    private final HostConfig config;
    private final Trace trace;
    private final ActorRef<Psp.Command> psp;
    private final ActorRef<CertStore.Command> certStore;
    private final ActorRef<Kds.Command> kds;
    private final ActorRef<Mgmt.Command> mgmt;
    private final SevGate gate;
    private final KvmSetup kvm;
    private final ArrayDeque<Command> waiting = new ArrayDeque<>();
    private final TreeMap<String, ActorRef<Vm.Command>> vms = new TreeMap<>();
    private Mgmt.Done initialBlob;

    public static Behavior<Command> create(HostConfig config) {
        return Behaviors.setup(ctx -> new Host(ctx, config));
    }

    private Host(ActorContext<Command> ctx, HostConfig config) {
        super(ctx);
        this.config = config;
        this.trace = Trace.get(ctx.getSystem());
        this.psp = ctx.spawn(Psp.create(config.psp()), "psp");
        CertBlobFile blob = new CertBlobFile(config.blobPath());
        this.certStore = ctx.spawn(CertStore.create(blob, new OfdLockTable(config.fairness()), config.mgmtLocking()),
                "certstore");
        this.kds = ctx.spawn(Kds.create(config.psp().firmware().keys(), config.kdsLimit(), config.kdsLatency()), "kds");
        MgmtConfig mc = new MgmtConfig(config.psp().firmware().product(), config.psp().firmware().chipId(),
                config.mgmtLocking(), config.crash());
        this.mgmt = ctx.spawn(Mgmt.create(mc, psp, certStore, kds), "mgmt");
        this.gate = new SevGate(psp, RateLimiterPreset.parse(config.rateLimiter()));
        this.kvm = new KvmSetup(config.profile(), gate, certStore, config.vmm());
        ActorRef<Mgmt.Done> ready = ctx.messageAdapter(Mgmt.Done.class, Ready::new);
        if (config.initialVlek() != null) {
            mgmt.tell(new Mgmt.RotateVlek(config.initialVlek(), 1, config.psp().firmware().tcb().raw(), ready));
        } else {
            mgmt.tell(new Mgmt.RefreshBlob(ready));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Ready.class, this::onReady)
                .onMessage(CreateVm.class, this::onCreateVm)
                .onMessage(GetParts.class, this::onGetParts)
                .onMessage(VmStopped.class, m -> {
                    vms.remove(m.vmId());
                    trace.record("host", "vm-stopped", "vm", m.vmId());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onReady(Ready r) {
        if (initialBlob == null) {
            initialBlob = r.done();
            trace.record("host", "ready", "blob", r.done().result());
            while (!waiting.isEmpty()) {
                Command c = waiting.poll();
                if (c instanceof CreateVm m) {
                    onCreateVm(m);
                } else {
                    onGetParts((GetParts) c);
                }
            }
        }
        return this;
    }

    private Behavior<Command> onCreateVm(CreateVm m) {
        if (initialBlob == null) {
            waiting.add(m);
            return this;
        }
        ActorRef<Vm.Command> existing = vms.get(m.config().vmId());
        if (existing != null) {
            trace.record("host", "create-vm", "vm", m.config().vmId(), "status", "exists");
            m.replyTo().tell(existing);
            return this;
        }
        ActorRef<Vm.Command> vm = getContext().spawn(Vm.create(m.config(), kvm), "vm-" + m.config().vmId());
        vms.put(m.config().vmId(), vm);
        getContext().watchWith(vm, new VmStopped(m.config().vmId()));
        trace.record("host", "create-vm", "vm", m.config().vmId(), "profile", config.profile());
        m.replyTo().tell(vm);
        return this;
    }

    private Behavior<Command> onGetParts(GetParts m) {
        if (initialBlob == null) {
            waiting.add(m);
            return this;
        }
        m.replyTo().tell(new Parts(psp, certStore, kds, mgmt, gate, initialBlob));
        return this;
    }
}
