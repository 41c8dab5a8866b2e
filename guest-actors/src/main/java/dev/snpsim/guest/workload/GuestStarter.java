package dev.snpsim.guest.workload;

import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverConfig;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.host.kvm.Vm;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The hook a scenario runner calls for every launched guest (including guests launched during a
 * boot storm): spawns the guest's driver and workload as children of {@code ctx} and starts the
 * workload.
 */
public final class GuestStarter {
    /** A started guest: its driver and workload. */
    public record Started(String guestId, ActorRef<Driver.Command> driver, ActorRef<Workload.Command> workload) {
    }

    private GuestStarter() {
    }

    public static Started start(ActorContext<?> ctx, String guestId, TenantConfig tenant, Vm.Launched launched,
                                DriverConfig driverConfig, RelyingParty rp) {
        ActorRef<Driver.Command> driver = ctx.spawn(Driver.create(guestId, launched,
                driverConfig.withVmpck(tenant.vmpl())), guestId + "-driver");
        ActorRef<Workload.Command> workload = ctx.spawn(Workload.create(guestId, tenant, driver, rp),
                guestId + "-workload");
        workload.tell(Workload.Start.INSTANCE);
        return new Started(guestId, driver, workload);
    }
}
