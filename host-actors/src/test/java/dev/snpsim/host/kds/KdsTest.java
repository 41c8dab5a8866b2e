package dev.snpsim.host.kds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.VlekHashstick;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.host.kds.Kds.FetchVcek;
import dev.snpsim.host.kds.Kds.FetchVlek;
import dev.snpsim.host.kds.Kds.VcekReply;
import dev.snpsim.host.kds.Kds.VlekReply;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.SimProbe;
import dev.snpsim.sim.Simulation;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The KDS through its protocol, in virtual time; one key hierarchy for the class (RSA-4096 is slow). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KdsTest {
    private static final long S = 1_000_000_000L;
    private static final KeyHierarchy KEYS = KeyHierarchy.create(20251123L);
    private static final long TCB = TcbVersion.of(Product.MILAN, 0, 3, 0, 8, 115).raw();

    private Simulation<Void> sim;
    private int testNo;
    private ActorRef<Kds.Command> kds;
    private SimProbe<VcekReply> vceks;
    private SimProbe<VlekReply> vleks;

    @BeforeAll
    void startSimulation() {
        sim = Simulation.create(Behaviors.empty(), "kds", SimConfig.virtual(5));
    }

    @AfterAll
    void stopSimulation() {
        sim.close();
    }

    @BeforeEach
    void start() {
        testNo++;
        kds = sim.spawn(Kds.create(KEYS, new KdsRateLimit(), Duration.ZERO), "kds-" + testNo);
        vceks = sim.probe("vceks-" + testNo);
        vleks = sim.probe("vleks-" + testNo);
    }

    private static byte[] chip(int n) {
        byte[] c = new byte[64];
        c[0] = (byte) n;
        c[63] = 0x5a;
        return c;
    }

    private static X509Certificate x509(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private VcekReply fetch(ActorRef<Kds.Command> to, byte[] chipId, long tcb) {
        sim.tell(to, new FetchVcek(Product.MILAN, chipId, tcb, vceks.ref()));
        return vceks.expectMessageClass(VcekReply.class);
    }

    @Test
    void issuesTheVcekOfTheChipAndTcbWithItsChain() throws Exception {
        VcekReply r = fetch(kds, chip(1), TCB);
        assertThat(r.status()).isEqualTo(KdsStatus.OK);
        X509Certificate vcek = x509(r.vcek());
        X509Certificate ask = x509(r.ask());
        X509Certificate ark = x509(r.ark());
        assertThat(vcek.getPublicKey()).isEqualTo(KEYS.vcek(Product.MILAN, chip(1), new TcbVersion(TCB)).publicKey());
        vcek.verify(ask.getPublicKey());
        ask.verify(ark.getPublicKey());
        assertThat(r.table().entries()).extracting(e -> e.guid())
                .containsExactly(CertGuid.ARK, CertGuid.ASK, CertGuid.VCEK);
    }

    @Test
    void secondDownloadWithinTenSecondsIsTooManyRequests() {
        assertThat(fetch(kds, chip(2), TCB).status()).isEqualTo(KdsStatus.OK);
        sim.runFor(Duration.ofSeconds(4));
        VcekReply limited = fetch(kds, chip(2), TCB);
        assertThat(limited.status()).isEqualTo(KdsStatus.TOO_MANY_REQUESTS);
        assertThat(limited.status().httpStatus()).isEqualTo(429);
        assertThat(limited.retryAfterNanos()).isEqualTo(6 * S);
        assertThat(limited.vcek()).isEmpty();
        // another TCB of the same chip is another certificate
        assertThat(fetch(kds, chip(2), TCB + 1).status()).isEqualTo(KdsStatus.OK);
        sim.runFor(Duration.ofNanos(limited.retryAfterNanos()));
        assertThat(fetch(kds, chip(2), TCB).status()).isEqualTo(KdsStatus.OK);
    }

    @Test
    void repliesAfterTheConfiguredLatency() {
        ActorRef<Kds.Command> slow = sim.spawn(Kds.create(KEYS, new KdsRateLimit(), Duration.ofMillis(250)),
                "slow-" + testNo);
        long sent = sim.nowNanos();
        assertThat(fetch(slow, chip(3), TCB).status()).isEqualTo(KdsStatus.OK);
        assertThat(vceks.lastArrivalNanos() - sent).isEqualTo(250_000_000L);
    }

    @Test
    void badChipIdIsABadRequestThatCostsNoQuota() {
        VcekReply bad = fetch(kds, new byte[10], TCB);
        assertThat(bad.status()).isEqualTo(KdsStatus.BAD_REQUEST);
        assertThat(bad.detail()).isEqualTo("chip id is 10 bytes (expected: 0x40)");
        assertThat(fetch(kds, chip(4), TCB).status()).isEqualTo(KdsStatus.OK);
    }

    @Test
    void issuesAVlekWithItsChainAndHashstick() throws Exception {
        sim.tell(kds, new FetchVlek(Product.MILAN, "csp-one", 2, TCB, vleks.ref()));
        VlekReply r = vleks.expectMessageClass(VlekReply.class);
        assertThat(r.status()).isEqualTo(KdsStatus.OK);
        X509Certificate vlek = x509(r.vlek());
        vlek.verify(x509(r.asvk()).getPublicKey());
        assertThat(r.hashstick()).hasSize(VlekHashstick.SIZE);
        assertThat(VlekHashstick.unwrap(KEYS.amdWrappingKey(), r.hashstick()).privateKey())
                .isEqualTo(KEYS.vlek(Product.MILAN, "csp-one", 2, new TcbVersion(TCB)).privateKey());
        assertThat(r.table().entries()).extracting(e -> e.guid())
                .containsExactly(CertGuid.ARK, CertGuid.ASK, CertGuid.VLEK);
        // a VLEK is not rate-limited: providers get them by provisioning, not the public service
        sim.tell(kds, new FetchVlek(Product.MILAN, "csp-one", 3, TCB, vleks.ref()));
        assertThat(vleks.expectMessageClass(VlekReply.class).status()).isEqualTo(KdsStatus.OK);
    }

    @Test
    void badCspIdIsABadRequest() {
        sim.tell(kds, new FetchVlek(Product.MILAN, "", 1, TCB, vleks.ref()));
        VlekReply r = vleks.expectMessageClass(VlekReply.class);
        assertThat(r.status()).isEqualTo(KdsStatus.BAD_REQUEST);
        assertThat(r.detail()).contains("csp id");
    }
}
