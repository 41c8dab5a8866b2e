package dev.snpsim.guest.driver;

import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.host.kvm.GuestMemory;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Not a test: a main that measures the channel's work for one attestation as the driver does it
 * ({@code wiped}, {@code nextSeqno} twice, {@code seal}, {@code consume}, {@code open}), the former
 * channel (one array per read of the secrets page) against the current one, alternating in one
 * process. Prints bytes allocated and nanoseconds per attestation, with the AES-GCM work and
 * without it ({@code wiped}, {@code nextSeqno} twice, {@code consume}). Run from the test classpath:
 * {@code java -cp <test-classes>:<classes>:<deps> dev.snpsim.guest.driver.MessageChannelAllocation [n]}.
 */
public final class MessageChannelAllocation {
    private static final long SECRETS = 0x3000;

    private MessageChannelAllocation() {
    }

    /** The channel's operations the driver uses. */
    private interface Channel {
        boolean wiped();

        long nextSeqno();

        byte[] seal(MessageType type, byte[] payload);

        void consume();

        GuestMessages.Opened open(byte[] page, MessageType type, long seqno);
    }

    /** The former channel, as it was: a fresh array for every read of the secrets page. */
    private static final class Former implements Channel {
        private final GuestMemory memory;
        private final int vmpck;
        private final SeqnoGuard guard;

        Former(GuestMemory memory, int vmpck, SeqnoGuard guard) {
            this.memory = memory;
            this.vmpck = vmpck;
            this.guard = guard;
        }

        long counter() {
            return Integer.toUnsignedLong(readU32(SecretsLayout.seqnoOffset(vmpck)));
        }

        @Override
        public boolean wiped() {
            byte[] key = key();
            int bits = 0;
            for (byte b : key) {
                bits |= b;
            }
            Arrays.fill(key, (byte) 0);
            return bits == 0;
        }

        @Override
        public long nextSeqno() {
            long next = counter() + 1;
            return next > GuestMessages.MAX_REQUEST_SEQNO ? 0 : next;
        }

        @Override
        public byte[] seal(MessageType type, byte[] payload) {
            if (wiped()) {
                throw new IllegalStateException("wiped");
            }
            long seqno = nextSeqno();
            guard.claim(vmpck, seqno);
            byte[] key = key();
            try {
                return GuestMessages.seal(key, GuestMessageHeader.of(type, MessageChannel.MSG_VERSION, seqno, vmpck),
                        payload);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        @Override
        public void consume() {
            long c = counter() + 2;
            guard.seen(vmpck, c);
            writeU32(SecretsLayout.seqnoOffset(vmpck), (int) c);
        }

        @Override
        public GuestMessages.Opened open(byte[] page, MessageType type, long seqno) {
            byte[] key = key();
            try {
                return GuestMessages.open(key, page, seqno + 1);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        private byte[] key() {
            return memory.guestRead(SECRETS + SecretsLayout.vmpckOffset(vmpck), SecretsLayout.VMPCK_SIZE);
        }

        private int readU32(int off) {
            byte[] b = memory.guestRead(SECRETS + off, 4);
            return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        }

        private void writeU32(int off, int v) {
            memory.guestWrite(SECRETS + off, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
        }
    }

    /** The current channel. */
    private static final class Current implements Channel {
        private final MessageChannel ch;

        Current(MessageChannel ch) {
            this.ch = ch;
        }

        @Override
        public boolean wiped() {
            return ch.wiped();
        }

        @Override
        public long nextSeqno() {
            return ch.nextSeqno();
        }

        @Override
        public byte[] seal(MessageType type, byte[] payload) {
            return ch.seal(type, payload);
        }

        @Override
        public void consume() {
            ch.consume();
        }

        @Override
        public GuestMessages.Opened open(byte[] page, MessageType type, long seqno) {
            return ch.open(page, type, seqno);
        }
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x5c);
        return k;
    }

    private static GuestMemory launched() {
        byte[][] keys = new byte[4][];
        for (int i = 0; i < 4; i++) {
            keys[i] = key();
        }
        GuestMemory m = new GuestMemory(1 << 16);
        m.firmwareWrite(SECRETS, SecretsPage.atLaunch(0xa00f11, keys).encode());
        return m;
    }

    private static Channel channel(boolean former) {
        GuestMemory m = launched();
        SeqnoGuard guard = new SeqnoGuard();
        return former ? new Former(m, 0, guard) : new Current(new MessageChannel(m, SECRETS, 0, guard));
    }

    /** Without seal/open the loop runs this many times over the responses (a few hundred ns each). */
    private static final int PLAIN_REPEATS = 50;

    private static long attestations(Channel ch, byte[][] responses, byte[] payload, boolean crypto) {
        long sink = 0;
        for (int k = 0; k < (crypto ? 1 : PLAIN_REPEATS); k++) {
            sink += attestations(ch, responses, payload, crypto, k);
        }
        return sink;
    }

    private static long attestations(Channel ch, byte[][] responses, byte[] payload, boolean crypto, int k) {
        long sink = k;
        for (byte[] rsp : responses) {
            if (ch.wiped()) {
                throw new IllegalStateException("wiped");
            }
            sink += ch.nextSeqno();
            long seqno = ch.nextSeqno();
            if (crypto) {
                sink += ch.seal(MessageType.REPORT_REQ, payload).length;
            }
            ch.consume();
            if (crypto) {
                sink += ch.open(rsp, MessageType.REPORT_REQ, seqno).payload().length;
            }
        }
        return sink;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        byte[][] responses = new byte[n][];
        for (int i = 0; i < n; i++) {
            long seqno = 2L * i + 2;
            responses[i] = GuestMessages.seal(key(), GuestMessageHeader.of(MessageType.REPORT_RSP, 1, seqno, 0),
                    new byte[0x4a0 + 0x20]);
        }
        byte[] payload = new byte[0x60];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (boolean crypto : new boolean[] {false, true}) {
            double[] ratio = new double[6];
            for (int round = 0; round < 6; round++) {
                Channel former = channel(true);
                Channel current = channel(false);
                long a0 = mx.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                sink += attestations(former, responses, payload, crypto);
                long t1 = System.nanoTime();
                long a1 = mx.getCurrentThreadAllocatedBytes();
                sink += attestations(current, responses, payload, crypto);
                long t2 = System.nanoTime();
                long a2 = mx.getCurrentThreadAllocatedBytes();
                double ops = (double) n * (crypto ? 1 : PLAIN_REPEATS);
                double fb = (a1 - a0) / ops;
                double cb = (a2 - a1) / ops;
                double ft = (t1 - t0) / ops;
                double ct = (t2 - t1) / ops;
                ratio[round] = ct / ft;
                System.out.printf("%s round %d  former %7.0f B %7.0f ns   current %7.0f B %7.0f ns   time ratio %.3f%n",
                        crypto ? "with seal/open   " : "without seal/open", round, fb, ft, cb, ct, ct / ft);
            }
            Arrays.sort(ratio);
            System.out.printf("%s median time ratio current/former %.3f%n",
                    crypto ? "with seal/open   " : "without seal/open", (ratio[2] + ratio[3]) / 2);
        }
        System.out.println("sink " + sink);
    }
}
