package dev.snpsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.psp.PspConfig;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;

/** A whole host (real PSP, store, KDS, management tool) in virtual time, with test guests. */
final class HostHarness implements AutoCloseable {
    /** One hierarchy for every test in the JVM: its RSA-4096 roots take seconds to make. */
    static final KeyHierarchy KEYS = KeyHierarchy.create(4242);
    static final Product P = Product.MILAN;
    static final TcbVersion TCB = TcbVersion.of(P, 0, 3, 0, 8, 115);

    final Simulation<Host.Command> sim;
    final HostConfig config;
    final Host.Parts parts;
    final List<TestGuest.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private int guests;
    private int launches;

    HostHarness(Path dir, long seed, UnaryOperator<HostConfig> tweak) {
        this(dir, SimConfig.virtual(seed), tweak);
    }

    HostHarness(Path dir, SimConfig simConfig, UnaryOperator<HostConfig> tweak) {
        config = tweak.apply(HostConfig.defaults(PspConfig.defaults(P, KEYS, 1, TCB), dir.resolve("certs.blob")));
        sim = Simulation.create(Host.create(config), "host", simConfig);
        SimProbe<Host.Parts> p = sim.probe("parts");
        sim.tell(sim.system(), new Host.GetParts(p.ref()));
        parts = p.expectMessageClass(Host.Parts.class);
    }

    Vm.Launched launch(VmConfig vm) {
        launches++;
        SimProbe<ActorRef<Vm.Command>> created = sim.probe("created-" + vm.vmId() + "-" + launches);
        sim.tell(sim.system(), new Host.CreateVm(vm, created.ref()));
        ActorRef<Vm.Command> ref = created.receiveMessage();
        SimProbe<Vm.Launched> launched = sim.probe("launched-" + vm.vmId() + "-" + launches);
        sim.tell(ref, new Vm.Launch(launched.ref()));
        Vm.Launched l = launched.expectMessageClass(Vm.Launched.class);
        assertThat(l.status()).isEqualTo(FirmwareStatus.SUCCESS);
        return l;
    }

    /** Starts a guest on {@code vm} asking for {@code count} extended reports into a buffer of {@code pages}. */
    void guest(Vm.Launched vm, int count, long pages, Duration maxThink) {
        sim.spawn(TestGuest.create(vm, count, pages, maxThink,
                sim.random().stream("guest-" + vm.vmId()), outcomes::add), "guest-" + (++guests));
    }

    static Verdict verify(TestGuest.Outcome o) {
        return ReportVerifier.withDefaults().verify(o.report(), o.table(), KEYS.arkCertificate(P));
    }

    @Override
    public void close() {
        sim.close();
    }
}
