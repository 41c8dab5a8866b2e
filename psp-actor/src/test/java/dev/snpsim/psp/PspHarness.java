package dev.snpsim.psp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;

/** A virtual-time simulation whose guardian is a PSP, and guest launches through its protocol. */
final class PspHarness implements AutoCloseable {
    static final KeyHierarchy KEYS = KeyHierarchy.create(4242);
    static final Product P = Product.MILAN;
    static final TcbVersion TCB = TcbVersion.of(P, 0, 3, 0, 8, 115);

    final Simulation<Psp.Command> sim;
    final PspConfig config;
    private final SimProbe<Psp.LaunchReply> launches;

    PspHarness(PspConfig config, long seed) {
        this.config = config;
        this.sim = Simulation.create(Psp.create(config), "psp-test", SimConfig.virtual(seed));
        this.launches = sim.probe("launch-replies");
    }

    static PspConfig config() {
        return PspConfig.defaults(P, KEYS, 1, TCB);
    }

    void tell(Psp.Command c) {
        sim.tell(sim.system(), c);
    }

    /** Launches {@code vmId} (start, secrets page, finish) and returns a VMPCK0 session. */
    GuestSession launch(String vmId) {
        tell(new Psp.LaunchStart(vmId, GuestPolicy.DEFAULT, launches.ref()));
        assertThat(launches.expectMessageClass(Psp.LaunchReply.class).status()).isEqualTo(FirmwareStatus.SUCCESS);
        tell(new Psp.LaunchUpdate(vmId, PageType.SECRETS, 0x1000, null, launches.ref()));
        Psp.LaunchReply secrets = launches.expectMessageClass(Psp.LaunchReply.class);
        assertThat(secrets.status()).isEqualTo(FirmwareStatus.SUCCESS);
        tell(new Psp.LaunchFinish(vmId, null, new byte[32], launches.ref()));
        assertThat(launches.expectMessageClass(Psp.LaunchReply.class).status()).isEqualTo(FirmwareStatus.SUCCESS);
        return new GuestSession(secrets.page(), 0);
    }

    @Override
    public void close() {
        sim.close();
    }
}
