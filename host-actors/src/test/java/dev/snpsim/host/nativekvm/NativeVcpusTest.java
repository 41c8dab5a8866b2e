package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.host.kvm.Vm;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The actor's lifecycle on real /dev/kvm: stopping mid-run frees the VM; repeated runs leak nothing. */
class NativeVcpusTest {
    private static final NativeScenarioConfig SMALL = NativeScenarioConfig.defaults().withVcpus(2)
            .withRequestsPerVcpu(10).withRateLimiter("off").withPspRequestTime(Duration.ZERO)
            .withTimeout(Duration.ofMinutes(1));

    @Test
    void stoppingTheActorMidRunStopsTheVcpusAndFreesTheVm() throws Exception {
        assumeKvm();
        try (NativeScenario.Run run = NativeScenario.start(SMALL.withRequestsPerVcpu(1_000_000))) {
            assertThat(awaitVerified(run, 20)).as("20 reports verified within a minute").isTrue();

            run.stop();
            NativeScenarioResult r = run.await(Duration.ofSeconds(30));

            assertThat(r.error()).isEmpty();
            assertThat(r.outcomes()).extracting(VcpuOutcome::state)
                    .containsExactly(VcpuOutcome.State.STOPPED, VcpuOutcome.State.STOPPED);
            assertThat(r.verified()).isBetween(20L, 1_999_999L);
            assertThat(r.failures()).isZero();
            // Finished is sent after the VM is freed: nothing of it is left while the host still runs
            assertThat(kvmFds()).as("kvm fds left open").isEmpty();
            assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(l -> l.contains("kvm-vcpu"));
        }
    }

    @Test
    void reportsDoNotVerifyAgainstAnotherRoot() throws Exception {
        assumeKvm();
        NativeScenarioResult r;
        try (NativeScenario.Run run = NativeScenario.start(SMALL, otherRoot())) {
            r = run.await(Duration.ofMinutes(1));
        }
        assertThat(r.verified()).isZero();
        assertThat(r.verifyFailures()).isEqualTo(20);
        assertThat(r.lastFailure()).startsWith("verification: vcpu ").contains("CHAIN_BROKEN");
        assertThat(r.allVerified()).isFalse();
        assertThat(r.failures()).as("the host answered every request; only the relying party's check failed")
                .isZero();
    }

    /** A self-signed P-256 certificate: a trust anchor that is not the host's AMD root. */
    private static X509Certificate otherRoot() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=ARK-Milan");
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                new Date(1_700_000_000_000L), new Date(1_900_000_000_000L), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    @Test
    void repeatedRunsLeaveNoKvmFdsOrMappings() throws Exception {
        assumeKvm();
        NativeScenario.run(SMALL); // warm up: keys, JIT, JNA, thread-stack caches
        long fdsBefore = count(Path.of("/proc/self/fd"));
        long mapsBefore = Files.readAllLines(Path.of("/proc/self/maps")).size();
        for (int i = 0; i < 4; i++) {
            NativeScenarioResult r = NativeScenario.run(SMALL);
            assertThat(r.allVerified()).as(r.describe()).isTrue();
            assertThat(kvmFds()).as("kvm fds left open after run " + i).isEmpty();
            assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(l -> l.contains("kvm-vcpu"));
        }
        // a leak per run (the VM fd, 2 vcpu fds, 3 mappings) would add up; the JVM and Pekko's
        // thread pools wobble by a few
        assertThat(count(Path.of("/proc/self/fd"))).isBetween(fdsBefore - 16, fdsBefore + 16);
        assertThat((long) Files.readAllLines(Path.of("/proc/self/maps")).size())
                .isBetween(mapsBefore - 64, mapsBefore + 64);
    }

    @Test
    void aVmThatDidNotLaunchIsRefusedWithTheReason() {
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "nv", SimConfig.realtime(1))) {
            SimProbe<NativeVcpus.Finished> done = sim.probe("done");
            Vm.Launched failed = new Vm.Launched("vm-x", FirmwareStatus.INVALID_GUEST_STATE, null, List.of(), 0, null);
            sim.spawn(NativeVcpus.create(new NativeVcpus.Setup(NativeVmConfig.of(1, new GuestProgramConfig(1, 1, 1)),
                    failed, null, ReportVerifier.withDefaults(), Duration.ofSeconds(1), new BridgeStats(), done.ref())),
                    "native");
            NativeVcpus.Finished f = done.expectMessageClass(NativeVcpus.Finished.class);
            assertThat(f.error()).isEqualTo("simulated vm vm-x did not launch: " + FirmwareStatus.INVALID_GUEST_STATE);
            assertThat(f.outcomes()).isEmpty();
        }
    }

    private static boolean awaitVerified(NativeScenario.Run run, long n) throws InterruptedException {
        return run.awaitVerified(n, Duration.ofMinutes(1));
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    static List<String> kvmFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(t -> t.contains("kvm")).toList();
        }
    }
}
