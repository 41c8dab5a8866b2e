package dev.snpsim.guest.workload;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.guest.driver.Driver;
import dev.snpsim.guest.driver.DriverError;
import dev.snpsim.guest.rp.RelyingParty;
import dev.snpsim.guest.rp.TenantStats;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.SimRandom;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One guest's attestation agents: sends requests to the guest's {@link Driver} as the
 * {@link WorkloadSpec} says, each with a fresh 64-byte nonce from the guest's seeded stream as
 * REPORT_DATA, and hands every answer to the {@link RelyingParty}; outcomes and latency (from the
 * intended send time) go to the tenant's {@link TenantStats} when the relying party's verdict
 * comes (at once, or later in answer order: {@link RelyingParty#checkLater}). On INVALID_LEN the agent grows its
 * certificate buffer to the pages the host asked for and retries at once (same intended time).
 * The certificate table of the last extended report is the guest's cache for plain reports (a
 * plain report drawn before anything is cached is sent as an extended one).
 * An agent stops once the driver answers ENOTTY (the VMPCK is gone until relaunch).
 *
 * <p>Requests are told to the driver with a tag the answer carries back (no ask: no temporary
 * actor, timeout timer or future per request). A request the driver never answers (its vCPU
 * died in KVM_RUN) stays open, as the guest's ioctl would block: a closed workload's agent
 * waits for good.
 */
public final class Workload extends AbstractBehavior<Workload.Command> {

    /** Everything a workload accepts. */
    public interface Command {
    }

    /** Starts sending. */
    public enum Start implements Command { INSTANCE }

    /** Stops sending new requests (answers still count). */
    public enum Stop implements Command { INSTANCE }

    private record Arrival() implements Command {
    }

    private record Think(int agent) implements Command {
    }

    /** One request: which agent (-1 for open arrivals), its intended send time, kind, nonce and buffer size. */
    private record Request(int agent, long intended, RequestMix.Kind kind, byte[] nonce, int pages) {
    }

    /** The driver's answer to one of this workload's requests. */
    private record Answered(Driver.Reply reply) implements Command {
    }

    private final String entity;
    private final ActorRef<Driver.Command> driver;
    private final WorkloadSpec spec;
    private final RequestMix mix;
    private final int keySel;
    private final int vmpl;
    private final RelyingParty rp;
    private final TenantStats stats;
    private Cancellable arrival;       // the next arrival's scheduled message (open workloads)
    private final Cancellable[] thinking; // each agent's end of think time (closed workloads)
    private final SimClock clock;
    private final Trace trace;
    private final RandomGenerator arrivals;
    private final RandomGenerator nonces;
    private final RandomGenerator kinds;
    private int certPages;
    private CertTable cachedTable;
    private int sent;
    private boolean stopped;
    private boolean bricked;
    private long nextArrival;
    /** Requests the driver has not answered yet, by tag; never iterated. */
    private final Map<Long, Request> open = new HashMap<>();
    private long nextTag = 1;
    private final ActorRef<Driver.ReportReply> reportReplies;
    private final ActorRef<Driver.KeyReply> keyReplies;

    /**
     * @param guestId the guest's stable id (names its random streams and trace entity)
     */
    public static Behavior<Command> create(String guestId, TenantConfig tenant, ActorRef<Driver.Command> driver,
                                           RelyingParty rp) {
        return Behaviors.setup(ctx -> new Workload(ctx, guestId, tenant, driver, rp));
    }

    private Workload(ActorContext<Command> ctx, String guestId, TenantConfig tenant,
                     ActorRef<Driver.Command> driver, RelyingParty rp) {
        super(ctx);
        this.entity = guestId + "/workload";
        this.driver = driver;
        this.spec = tenant.workload();
        this.mix = tenant.mix();
        this.keySel = tenant.signingKey().keySel();
        this.vmpl = tenant.vmpl();
        this.certPages = tenant.certPages();
        this.rp = rp;
        this.thinking = new Cancellable[spec instanceof WorkloadSpec.Closed c ? c.agents() : 0];
        this.clock = SimClock.get(ctx.getSystem());
        this.stats = new TenantStats(Metrics.get(ctx.getSystem()), tenant.name(), guestId, clock::now);
        this.trace = Trace.get(ctx.getSystem());
        SimRandom random = SimRandom.get(ctx.getSystem());
        this.arrivals = random.stream(guestId, "arrivals");
        this.nonces = random.stream(guestId, "nonces");
        this.kinds = random.stream(guestId, "kinds");
        this.reportReplies = ctx.messageAdapter(Driver.ReportReply.class, Answered::new);
        this.keyReplies = ctx.messageAdapter(Driver.KeyReply.class, Answered::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Start.class, m -> onStart())
                .onMessage(Stop.class, m -> {
                    stopped = true;
                    cancelTimers();
                    return this;
                })
                .onMessage(Arrival.class, m -> onArrival())
                .onMessage(Think.class, m -> {
                    sendNew(m.agent(), clock.now());
                    return this;
                })
                .onMessage(Answered.class, this::onAnswered)
                .build();
    }

    private Behavior<Command> onStart() {
        if (spec instanceof WorkloadSpec.Open) {
            nextArrival = clock.now();
            scheduleArrival();
        } else if (spec instanceof WorkloadSpec.Closed c) {
            for (int a = 0; a < c.agents(); a++) {
                sendNew(a, clock.now());
            }
        }
        return this;
    }

    private void scheduleArrival() {
        double rate = ((WorkloadSpec.Open) spec).ratePerSecond();
        long gap = (long) Math.ceil(-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
        nextArrival += Math.max(1, gap);
        arrival = getContext().scheduleOnce(Duration.ofNanos(Math.max(0, nextArrival - clock.now())),
                getContext().getSelf(), new Arrival());
    }

    /**
     * Cancels the scheduled arrival and think times. Plain scheduled messages, not typed timers
     * (which intercept every message an actor receives): one already in the mailbox still
     * arrives, and finds the workload stopped or bricked, which sends nothing.
     */
    private void cancelTimers() {
        if (arrival != null) {
            arrival.cancel();
        }
        for (Cancellable t : thinking) {
            if (t != null) {
                t.cancel();
            }
        }
    }

    private Behavior<Command> onArrival() {
        long intended = nextArrival; // the arrival process fixes it, however late the timer fired
        sendNew(-1, intended);
        if (!stopped && !bricked && (spec.maxRequests() == 0 || sent < spec.maxRequests())) {
            scheduleArrival();
        }
        return this;
    }

    private void sendNew(int agent, long intended) {
        if (stopped || bricked || (spec.maxRequests() > 0 && sent >= spec.maxRequests())) {
            return;
        }
        sent++;
        byte[] nonce = new byte[64];
        nonces.nextBytes(nonce);
        RequestMix.Kind kind = mix.draw(kinds);
        if (kind == RequestMix.Kind.REPORT && cachedTable == null) {
            kind = RequestMix.Kind.EXTENDED_REPORT; // no certificates cached yet: fetch them with this report
        }
        send(new Request(agent, intended, kind, nonce, certPages));
    }

    private void send(Request r) {
        trace.record(entity, "request", "kind", r.kind(), "pages", r.pages());
        long tag = nextTag++;
        open.put(tag, r);
        driver.tell(switch (r.kind()) {
            case REPORT -> new Driver.GetReport(r.nonce(), vmpl, keySel, reportReplies, tag);
            case EXTENDED_REPORT -> new Driver.GetExtendedReport(r.nonce(), vmpl, keySel, r.pages(), reportReplies, tag);
            case DERIVED_KEY -> new Driver.GetDerivedKey(new KeyRequest(KeyRequest.ROOT_KEY_VCEK, 0, vmpl, 0, 0),
                    keyReplies, tag);
        });
    }

    private Behavior<Command> onAnswered(Answered a) {
        Request r = open.remove(a.reply().tag());
        if (r == null) { // not an answer to a request of this workload: nothing to count it against
            trace.record(entity, "stray-answer", "tag", a.reply().tag());
            return this;
        }
        long latency = clock.now() - r.intended();
        if (a.reply() instanceof Driver.Report rep) {
            CertTable table = cachedTable;
            if (rep.certificates() != null) {
                if (cachedTable != null && cachedTable.isEncodingOf(rep.certificates())) {
                    table = cachedTable; // the host served the same buffer as last time: no need to decode it again
                } else {
                    try {
                        table = CertTable.decode(rep.certificates());
                        cachedTable = table;
                    } catch (AbiException e) {
                        table = null;
                    }
                }
            }
            long answered = clock.now();
            int busy = rep.busyRetries();
            rp.checkLater(r.nonce(), rep.reportLater(), table, c -> {
                stats.report(c, busy, latency, answered);
                trace.record(entity, "report", "outcome", c.outcome(), "latency", latency);
            });
        } else if (a.reply() instanceof Driver.DerivedKey k) {
            stats.derivedKey(k.busyRetries(), latency);
        } else if (a.reply() instanceof Driver.Failed f) {
            stats.failure(f, latency);
            trace.record(entity, "failed", "error", f.error(), "latency", latency);
            if (f.error() == DriverError.NEED_PAGES && f.pagesNeeded() > r.pages()) {
                certPages = (int) Math.max(certPages, Math.min(Integer.MAX_VALUE, f.pagesNeeded()));
                send(new Request(r.agent(), r.intended(), r.kind(), r.nonce(), certPages));
                return this;
            }
            if (f.error() == DriverError.ENOTTY) {
                bricked = true;
                cancelTimers();
            }
        }
        next(r);
        return this;
    }

    private void next(Request r) {
        if (r.agent() >= 0 && spec instanceof WorkloadSpec.Closed c) {
            if (c.thinkTime().isZero()) {
                sendNew(r.agent(), clock.now());
            } else if (!stopped && !bricked) {
                thinking[r.agent()] = getContext().scheduleOnce(c.thinkTime(), getContext().getSelf(), new Think(r.agent()));
            }
        }
    }
}
