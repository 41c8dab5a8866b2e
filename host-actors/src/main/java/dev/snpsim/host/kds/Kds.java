package dev.snpsim.host.kds;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.keys.VlekHashstick;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.sim.SimClock;
import dev.snpsim.sim.trace.Trace;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The simulated AMD key distribution service. {@link FetchVcek} answers the VCEK of a
 * (product, chip id, TCB) with the product's ASK and ARK, rate-limited per chip and TCB
 * ({@link KdsRateLimit}: HTTP 429 with a retry-after). {@link FetchVlek} answers a cloud
 * provider's VLEK with its ASVK and ARK and the wrapped hashstick the host loads with
 * {@code SNP_VLEK_LOAD} (AMD provisions VLEKs to providers, not through the public
 * service, so it is not rate-limited here). Replies come after {@code latency} of
 * simulated time. Certificates travel as DER bytes.
 */
public final class Kds extends AbstractBehavior<Kds.Command> {

    /** Protocol of the key distribution service. */
    public interface Command {
    }

    /**
     * {@code GET /vcek/v1/{product}/{hwid}?blSPL=..}: the VCEK for {@code tcb}. {@code chipId}
     * is the report's 64-byte CHIP_ID (Turin: its first 8 bytes, or those 8 alone).
     */
    public record FetchVcek(Product product, byte[] chipId, long tcb, ActorRef<VcekReply> replyTo) implements Command {
        public FetchVcek {
            chipId = chipId == null ? null : chipId.clone();
        }

        @Override
        public byte[] chipId() {
            return chipId == null ? null : chipId.clone();
        }
    }

    /** A VCEK and its chain (DER), or why not; empty arrays unless {@link KdsStatus#OK}. */
    public record VcekReply(KdsStatus status, byte[] vcek, byte[] ask, byte[] ark, long retryAfterNanos, String detail) {
        /** The blob a host stores for this VCEK: ARK, ASK, VCEK. */
        public CertTable table() {
            requireOk(status, detail);
            return CertTable.of(new CertEntry(CertGuid.ARK, ark), new CertEntry(CertGuid.ASK, ask),
                    new CertEntry(CertGuid.VCEK, vcek));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VcekReply r && status == r.status && Arrays.equals(vcek, r.vcek)
                    && Arrays.equals(ask, r.ask) && Arrays.equals(ark, r.ark)
                    && retryAfterNanos == r.retryAfterNanos && detail.equals(r.detail);
        }

        @Override
        public int hashCode() {
            return status.hashCode() * 31 + Arrays.hashCode(vcek);
        }

        @Override
        public String toString() {
            return "VcekReply[" + status + ", vcek " + vcek.length + " bytes, retryAfterNanos=" + retryAfterNanos
                    + (detail.isEmpty() ? "" : ", " + detail) + "]";
        }
    }

    /** The {@code generation}-th VLEK of cloud provider {@code cspId} at {@code tcb}. */
    public record FetchVlek(Product product, String cspId, int generation, long tcb, ActorRef<VlekReply> replyTo)
            implements Command {
    }

    /** A VLEK, its chain (DER) and its 432-byte hashstick, or why not. */
    public record VlekReply(KdsStatus status, byte[] vlek, byte[] asvk, byte[] ark, byte[] hashstick, String detail) {
        /** The blob a host stores for this VLEK: ARK, ASVK (under the ASK GUID, as snphost does), VLEK. */
        public CertTable table() {
            requireOk(status, detail);
            return CertTable.of(new CertEntry(CertGuid.ARK, ark), new CertEntry(CertGuid.ASK, asvk),
                    new CertEntry(CertGuid.VLEK, vlek));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VlekReply r && status == r.status && Arrays.equals(vlek, r.vlek)
                    && Arrays.equals(asvk, r.asvk) && Arrays.equals(ark, r.ark)
                    && Arrays.equals(hashstick, r.hashstick) && detail.equals(r.detail);
        }

        @Override
        public int hashCode() {
            return status.hashCode() * 31 + Arrays.hashCode(vlek);
        }

        @Override
        public String toString() {
            return "VlekReply[" + status + ", vlek " + vlek.length + " bytes" + (detail.isEmpty() ? "" : ", " + detail) + "]";
        }
    }

    private static final byte[] NONE = new byte[0];

    private final KeyHierarchy keys;
    private final KdsRateLimit limit;
    private final Duration latency;
    private final SimClock clock;
    private final Trace trace;
    private final String entity;

    /**
     * @param keys    the AMD key hierarchy of the simulation (shared, thread-safe)
     * @param limit   the download limit (use {@code new KdsRateLimit()} for AMD's 10 s)
     * @param latency simulated time from request to reply (zero: at once)
     */
    public static Behavior<Command> create(KeyHierarchy keys, KdsRateLimit limit, Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("kds latency is " + latency + " (expected: >= 0)");
        }
        return Behaviors.setup(ctx -> new Kds(ctx, keys, limit, latency));
    }

    private Kds(ActorContext<Command> ctx, KeyHierarchy keys, KdsRateLimit limit, Duration latency) {
        super(ctx);
        this.keys = keys;
        this.limit = limit;
        this.latency = latency;
        this.clock = SimClock.get(ctx.getSystem());
        this.trace = Trace.get(ctx.getSystem());
        this.entity = ctx.getSelf().path().name();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(FetchVcek.class, this::onFetchVcek)
                .onMessage(FetchVlek.class, this::onFetchVlek)
                .build();
    }

    private Behavior<Command> onFetchVcek(FetchVcek m) {
        VcekReply r = vcek(m);
        trace.record(entity, "vcek", "product", m.product(), "tcb", Long.toHexString(m.tcb()), "status", r.status());
        reply(m.replyTo(), r);
        return this;
    }

    private VcekReply vcek(FetchVcek m) {
        byte[] chipId = m.chipId();
        if (m.product() == null) {
            return vcekError(KdsStatus.BAD_REQUEST, 0, "product is missing");
        }
        int hwIdSize = m.product().hasFmc() ? 8 : 64;
        if (chipId == null || (chipId.length != 64 && chipId.length != hwIdSize)) {
            return vcekError(KdsStatus.BAD_REQUEST, 0, String.format("chip id is %d bytes (expected: 0x40%s)",
                    chipId == null ? 0 : chipId.length, hwIdSize == 8 ? " or 0x8" : ""));
        }
        KdsKey key = KdsKey.of(m.product(), Arrays.copyOf(chipId, hwIdSize), m.tcb());
        long now = clock.now();
        if (!limit.tryAcquire(key, now)) {
            long retry = limit.retryAfterNanos(key, now);
            return vcekError(KdsStatus.TOO_MANY_REQUESTS, retry, "too many requests for " + key);
        }
        try {
            Vcek v = keys.vcek(m.product(), chipId, new TcbVersion(m.tcb()));
            return new VcekReply(KdsStatus.OK, der(v.certificate()), der(keys.askCertificate(m.product())),
                    der(keys.arkCertificate(m.product())), 0, "");
        } catch (AbiException e) {
            return vcekError(KdsStatus.BAD_REQUEST, 0, e.getMessage());
        }
    }

    private Behavior<Command> onFetchVlek(FetchVlek m) {
        VlekReply r;
        if (m.product() == null) {
            r = new VlekReply(KdsStatus.BAD_REQUEST, NONE, NONE, NONE, NONE, "product is missing");
        } else {
            try {
                Vlek v = keys.vlek(m.product(), m.cspId(), m.generation(), new TcbVersion(m.tcb()));
                r = new VlekReply(KdsStatus.OK, der(v.certificate()), der(keys.asvkCertificate(m.product())),
                        der(keys.arkCertificate(m.product())), VlekHashstick.wrap(keys.amdWrappingKey(), v), "");
            } catch (AbiException e) {
                r = new VlekReply(KdsStatus.BAD_REQUEST, NONE, NONE, NONE, NONE, e.getMessage());
            }
        }
        trace.record(entity, "vlek", "csp", String.valueOf(m.cspId()), "generation", m.generation(),
                "status", r.status());
        reply(m.replyTo(), r);
        return this;
    }

    private <R> void reply(ActorRef<R> to, R reply) {
        if (latency.isZero()) {
            to.tell(reply);
        } else {
            getContext().scheduleOnce(latency, to, reply);
        }
    }

    private static VcekReply vcekError(KdsStatus status, long retryAfterNanos, String detail) {
        return new VcekReply(status, NONE, NONE, NONE, retryAfterNanos, detail);
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    private static void requireOk(KdsStatus status, String detail) {
        if (status != KdsStatus.OK) {
            throw new IllegalStateException("kds answered " + status + " (" + status.httpStatus() + "): " + detail);
        }
    }
}
