package dev.snpsim.bench.suite;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.workload.GuestStarter;
import dev.snpsim.guest.workload.RequestMix;
import dev.snpsim.guest.workload.TenantConfig;
import dev.snpsim.guest.workload.WorkloadSpec;
import dev.snpsim.host.Host;
import dev.snpsim.host.HostConfig;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.host.kvm.VmConfig;
import dev.snpsim.psp.PspConfig;
import dev.snpsim.psp.service.ServiceTimeFixed;
import dev.snpsim.psp.service.ServiceTimes;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import dev.snpsim.sim.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The host flat out on the wall clock with no modelled latency: every PSP service time is 0
 * and every guest asks for its next extended report as soon as it has verified the last
 * (closed loop, one agent, no think time). The same actors as {@code snpsim run --mode
 * realtime} (host, VMs, vCPUs, VMM, cert store, PSP, sev-guest drivers, workloads, relying
 * party) assembled here rather than through the scenario runner, whose end-of-run histogram
 * read races the still-running guests on the wall clock. Counts verified reports over a
 * window that starts once the first report has verified (boot excluded).
 */
public final class FlatOut {
    private static final Product PRODUCT = Product.MILAN;
    private static final TcbVersion TCB = TcbVersion.of(PRODUCT, 0, 4, 0, 22, 213);
    private static final String TENANT = "fleet";

    private FlatOut() {
    }

    /** Verified reports and the wall seconds they took. */
    public record Result(int guests, long verified, long failed, double wallSeconds) {
        public double perSecond() {
            return verified / wallSeconds;
        }
    }

    /** Runs {@code guests} guests of 4 vCPUs flat out for {@code window} of wall time after boot. */
    public static Result run(int guests, Duration window, long seed, Path workDir) {
        KeyHierarchy keys = KeyHierarchy.create(seed);
        ServiceTimes zero = ServiceTimes.all(new ServiceTimeFixed(Duration.ZERO));
        PspConfig psp = PspConfig.defaults(PRODUCT, keys, seed, TCB).withServiceTimes(zero);
        HostConfig host = HostConfig.defaults(psp, blob(workDir, seed));
        RelyingParty rp = new RelyingParty(keys.arkCertificate(PRODUCT));
        TenantConfig tenant = new TenantConfig(TENANT, guests, 4, new WorkloadSpec.Closed(1, Duration.ZERO, 0),
                RequestMix.extendedOnly(), TenantConfig.SigningKeyPreference.DEFAULT, 0, 4);
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "flatout",
                SimConfig.realtime(seed).withConfig("pekko.log-dead-letters = off"))) {
            sim.spawn(fleet(host, tenant, rp), "fleet");
            Metrics m = sim.metrics();
            sim.runUntil(() -> count(m, "verified") > 0, Duration.ofMinutes(2));
            if (count(m, "verified") == 0) {
                throw new IllegalStateException("flat out: no report verified within 2 minutes of the start");
            }
            long v0 = count(m, "verified");
            long f0 = failed(m);
            long t0 = System.nanoTime();
            sim.runFor(window);
            long v1 = count(m, "verified");
            long f1 = failed(m);
            long wall = System.nanoTime() - t0;
            return new Result(guests, v1 - v0, f1 - f0, wall / 1e9);
        }
    }

    private static long count(Metrics m, String what) {
        var c = m.counters().get("guest/" + TENANT + "/" + what);
        return c == null ? 0 : c.get();
    }

    private static long failed(Metrics m) {
        return count(m, "failed") + count(m, "rejected") + count(m, "stale-certificate") + count(m, "nonce-mismatch");
    }

    /** Host, then every VM created and launched, then a guest on each launched VM. */
    private static Behavior<Vm.Launched> fleet(HostConfig config, TenantConfig tenant, RelyingParty rp) {
        return Behaviors.setup(ctx -> {
            ActorRef<Vm.Launched> self = ctx.getSelf();
            ActorRef<Host.Command> host = ctx.spawn(Host.create(config), "host");
            Duration t = Duration.ofMinutes(2);
            var scheduler = ctx.getSystem().scheduler();
            for (int g = 0; g < tenant.guests(); g++) {
                VmConfig vm = VmConfig.snp(TENANT + "-" + g, tenant.vcpusPerGuest());
                AskPattern.<Host.Command, ActorRef<Vm.Command>>ask(host, r -> new Host.CreateVm(vm, r), t, scheduler)
                        .thenCompose(ref -> AskPattern.<Vm.Command, Vm.Launched>ask(ref, Vm.Launch::new, t, scheduler))
                        .thenAccept(l -> {
                            if (l.status() == FirmwareStatus.SUCCESS) {
                                self.tell(l);
                            }
                        });
            }
            return Behaviors.receive(Vm.Launched.class).onMessage(Vm.Launched.class, l -> {
                GuestStarter.start(ctx, l.vmId(), tenant, l, DriverConfig.linuxDefaults(), rp);
                return Behaviors.same();
            }).build();
        });
    }

    private static Path blob(Path workDir, long seed) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempFile(workDir, "flat-out-" + seed + "-", ".certs");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the certificate blob file in " + workDir, e);
        }
    }
}
