package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.ghcb.KvmRun;
import dev.snpsim.abi.ghcb.SvmExitCode;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.host.certstore.CertStore;
import dev.snpsim.host.ratelimit.RateLimiterPreset;
import dev.snpsim.psp.Psp;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The VM: capabilities per profile, and its launch command sequence against a probe PSP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmTest {
    private static final int CAP = KvmRun.KVM_CAP_EXIT_COCO;
    private Simulation<Void> sim;
    private int n;
    private SimProbe<Psp.Command> psp;

    @BeforeAll
    void start() {
        sim = Simulation.create(Behaviors.empty(), "vm", SimConfig.virtual(11));
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    private ActorRef<Vm.Command> vm(HostAbiProfile p, VmConfig c) {
        n++;
        psp = sim.probe("psp-" + n);
        SimProbe<CertStore.Command> store = sim.probe("store-" + n);
        KvmSetup kvm = new KvmSetup(p, new SevGate(psp.ref(), RateLimiterPreset.parse("off")), store.ref(),
                VmmConfig.DEFAULT);
        return sim.spawn(Vm.create(c, kvm), "vm-" + n);
    }

    private int ask(ActorRef<Vm.Command> vm, java.util.function.Function<ActorRef<Vm.CapReply>, Vm.Command> m) {
        SimProbe<Vm.CapReply> r = sim.probe("cap-" + (++n));
        sim.tell(vm, m.apply(r.ref()));
        return r.expectMessageClass(Vm.CapReply.class).result();
    }

    @Test
    void cocoCapabilityReportsItsMaskAndRefusesBitsOutsideIt() {
        ActorRef<Vm.Command> vm = vm(HostAbiProfile.COCO, VmConfig.snp("a", 1));
        assertThat(ask(vm, r -> new Vm.CheckExtension(CAP, r))).isEqualTo(1);
        assertThat(ask(vm, r -> new Vm.CheckExtension(CAP + 1, r))).isZero();
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 1, r))).isZero();
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 0, r))).isZero();
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 2, r))).isEqualTo(-22);
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 3, r))).isEqualTo(-22);
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 1L << 32, r))).isEqualTo(-22);
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP + 1, 1, r))).isEqualTo(-22);
    }

    @Test
    void otherProfilesAndNonSnpVmsDoNotKnowTheCapability() {
        for (HostAbiProfile p : new HostAbiProfile[] {HostAbiProfile.V15_VMGEXIT, HostAbiProfile.SNP_REQ_CERTS,
            HostAbiProfile.EMPTY_TABLE}) {
            ActorRef<Vm.Command> vm = vm(p, VmConfig.snp("a", 1));
            assertThat(ask(vm, r -> new Vm.CheckExtension(CAP, r))).isZero();
            assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 1, r))).isEqualTo(-22);
        }
        ActorRef<Vm.Command> plain = vm(HostAbiProfile.COCO, VmConfig.snp("a", 1).withSnp(false));
        assertThat(ask(plain, r -> new Vm.CheckExtension(CAP, r))).isZero();
        assertThat(ask(plain, r -> new Vm.EnableCap(CAP, 1, r))).isEqualTo(-22);
    }

    @Test
    void snpEnableReqCertsOnlyInItsProfileAndOnlyBeforeTheVcpusExist() {
        ActorRef<Vm.Command> vm = vm(HostAbiProfile.SNP_REQ_CERTS, VmConfig.snp("a", 1).withEnabledExitMask(0));
        assertThat(ask(vm, Vm.SnpEnableReqCerts::new)).isZero();
        launch(vm, VmConfig.snp("a", 1));
        assertThat(ask(vm, Vm.SnpEnableReqCerts::new)).isEqualTo(-22);
        assertThat(ask(vm(HostAbiProfile.COCO, VmConfig.snp("b", 1)), Vm.SnpEnableReqCerts::new)).isEqualTo(-22);
    }

    /** Answers every launch command of the probe PSP with success (a filled secrets page). */
    private Vm.Launched launch(ActorRef<Vm.Command> vm, VmConfig c) {
        SimProbe<Vm.Launched> launched = sim.probe("launched-" + (++n));
        sim.tell(vm, new Vm.Launch(launched.ref()));
        Psp.LaunchStart start = (Psp.LaunchStart) psp.expectMessageClass(Psp.LaunchStart.class);
        assertThat(start.policy()).isEqualTo(c.policy());
        sim.tell(start.replyTo(), new Psp.LaunchReply(start.vmId(), FirmwareStatus.SUCCESS, null));
        LaunchDigest d = new LaunchDigest();
        while (true) {
            Psp.Command cmd = psp.receiveMessage();
            if (cmd instanceof Psp.LaunchFinish f) {
                assertThat(f.hostData()).isEqualTo(c.hostData());
                sim.tell(f.replyTo(), new Psp.LaunchReply(f.vmId(), FirmwareStatus.SUCCESS, null));
                break;
            }
            Psp.LaunchUpdate u = (Psp.LaunchUpdate) cmd;
            d.update(u.type(), u.gpa(), u.page());
            byte[] filled = u.type() == PageType.SECRETS ? secrets() : null;
            sim.tell(u.replyTo(), new Psp.LaunchReply(u.vmId(), FirmwareStatus.SUCCESS, filled));
        }
        Vm.Launched l = launched.expectMessageClass(Vm.Launched.class);
        assertThat(l.measurement()).isEqualTo(d.digest());
        return l;
    }

    private static byte[] secrets() {
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        Arrays.fill(page, (byte) 0x3C);
        return page;
    }

    @Test
    void launchMeasuresImageZeroSecretsCpuidAndOneVmsaPerVcpuAndPlacesTheSecretsPagePrivately() {
        VmConfig c = VmConfig.snp("a", 3);
        ActorRef<Vm.Command> vm = vm(HostAbiProfile.COCO, c);
        Vm.Launched l = launch(vm, c);
        assertThat(l.status()).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(l.vcpus()).hasSize(3);
        assertThat(l.measurement()).isEqualTo(Vm.expectedMeasurement(c));
        assertThat(l.secretsPageGpa()).isEqualTo(Vm.SECRETS_GPA);
        assertThat(l.memory().guestRead(Vm.SECRETS_GPA, 4096)).isEqualTo(secrets());
        assertThat(l.memory().guestRead(Vm.IMAGE_GPA, 4096)).isEqualTo(c.imagePages().get(0));
        assertThatThrownBy(() -> l.memory().hostRead(Vm.SECRETS_GPA, 4096))
                .isInstanceOf(MemoryAccessException.class).hasMessageContaining("private page");
        assertThatThrownBy(() -> l.memory().hostWrite(Vm.SECRETS_GPA, new byte[8]))
                .isInstanceOf(MemoryAccessException.class).hasMessageContaining("0x5000");
    }

    @Test
    void aFailedLaunchCommandEndsTheLaunchWithItsStatus() {
        ActorRef<Vm.Command> vm = vm(HostAbiProfile.COCO, VmConfig.snp("a", 1));
        SimProbe<Vm.Launched> launched = sim.probe("launched-" + (++n));
        sim.tell(vm, new Vm.Launch(launched.ref()));
        Psp.LaunchStart start = (Psp.LaunchStart) psp.expectMessageClass(Psp.LaunchStart.class);
        sim.tell(start.replyTo(), new Psp.LaunchReply("a", FirmwareStatus.POLICY_FAILURE, null));
        Vm.Launched l = launched.expectMessageClass(Vm.Launched.class);
        assertThat(l.status()).isEqualTo(FirmwareStatus.POLICY_FAILURE);
        assertThat(l.vcpus()).isEmpty();
        assertThat(l.memory()).isNull();
        psp.expectNoMessage(Duration.ofSeconds(1));
    }

    @Test
    void aSecondLaunchIsRefused() {
        VmConfig c = VmConfig.snp("a", 1);
        ActorRef<Vm.Command> vm = vm(HostAbiProfile.COCO, c);
        launch(vm, c);
        SimProbe<Vm.Launched> again = sim.probe("again-" + (++n));
        sim.tell(vm, new Vm.Launch(again.ref()));
        assertThat(again.expectMessageClass(Vm.Launched.class).status()).isEqualTo(FirmwareStatus.INVALID_GUEST_STATE);
    }

    @Test
    void disablingTheCapabilityAfterLaunchStopsTheExits() {
        VmConfig c = VmConfig.snp("a", 1);
        ActorRef<Vm.Command> vm = vm(HostAbiProfile.COCO, c);
        Vm.Launched l = launch(vm, c);
        assertThat(ask(vm, r -> new Vm.EnableCap(CAP, 0, r))).isZero();
        l.memory().setShared(0x20000, 2, true);
        l.memory().setShared(0x30000, 1, true);
        byte[] req = new byte[4096];
        req[0x34] = 5;
        l.memory().guestWrite(0x20000, req);
        l.memory().guestWrite(0x30000, new byte[] {9, 9, 9});
        SimProbe<Vcpu.VmgexitDone> guest = sim.probe("guest-" + (++n));
        sim.tell(l.vcpus().get(0), new Vcpu.Vmgexit(SvmExitCode.EXT_GUEST_REQUEST, 0x20000, 0x21000, 0x30000, 1,
                guest.ref()));
        assertThat(psp.expectMessageClass(Psp.GuestRequest.class)).isNotNull();
        assertThat(l.memory().guestRead(0x30000, 3)).containsOnly(0);
    }

    @Test
    void badConfigsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> VmConfig.snp("a", 0)).hasMessage("vm a: vcpus is 0 (expected: 1..64)");
        assertThatThrownBy(() -> VmConfig.snp("a/b", 1)).hasMessageStartingWith("vm id 'a/b' (expected: 1..64 letters");
        assertThatThrownBy(() -> VmConfig.snp("a", 1).withHostData(new byte[31]))
                .hasMessage("vm a: host data is 31 bytes (expected: 32)");
        assertThatThrownBy(() -> new VmConfig("a", 1, 0x1000, dev.snpsim.abi.report.GuestPolicy.DEFAULT, true, 1, null,
                java.util.List.of(new byte[4096]))).hasMessageContaining("memory is 0x1000 bytes");
    }
}
