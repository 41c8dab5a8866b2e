package dev.snpsim.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a JFR recording: every {@code jdk.ExecutionSample} of one thread
 * is put in the share of the first frame, from the top of its stack, that belongs to a known
 * part (crypto, codec, metrics, trace, the virtual-time scheduler and executor, Pekko, the
 * model's actors); JDK frames in between are charged to whoever called them. Usage:
 * {@code ProfileSummary recording.jfr [thread]} (default thread {@code main}, the simulation
 * thread of a virtual-time run driven from main).
 */
public final class ProfileSummary {
    /** Category, then the class-name prefixes that belong to it; checked in this order. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("crypto (ECDSA, AES-GCM, SHA, RSA)", List.of("org.bouncycastle.", "dev.snpsim.abi.sign.",
                "dev.snpsim.abi.keys.", "javax.crypto.", "com.sun.crypto.", "sun.security.", "java.security.",
                "java.math."));
        PARTS.put("metrics (HdrHistogram, counters)", List.of("org.HdrHistogram.", "dev.snpsim.sim.metrics."));
        PARTS.put("trace (event canonical form + digest)", List.of("dev.snpsim.sim.trace."));
        PARTS.put("codec (report, messages, cert table)", List.of("dev.snpsim.abi."));
        PARTS.put("timers + executor (sim-core)", List.of("dev.snpsim.sim."));
        PARTS.put("model actors (psp, host, guest, runner)", List.of("dev.snpsim.psp.", "dev.snpsim.host.",
                "dev.snpsim.guest.", "dev.snpsim.scenario."));
        PARTS.put("pekko (mailboxes, dispatch, actor cells)", List.of("org.apache.pekko.", "scala."));
    }

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        String thread = args.length > 1 ? args[1] : "main";
        Map<String, Long> parts = new LinkedHashMap<>();
        PARTS.keySet().forEach(k -> parts.put(k, 0L));
        parts.put("other (jdk collections, strings, gc safepoints)", 0L);
        Map<String, Long> topPackages = new TreeMap<>();
        Map<String, Long> cryptoCallers = new TreeMap<>();
        long total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getThread("sampledThread") == null
                    || !thread.equals(e.getThread("sampledThread").getJavaName()) || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            total++;
            String part = part(frames);
            parts.merge(part, 1L, Long::sum);
            if (part.startsWith("crypto")) {
                cryptoCallers.merge(modelCaller(frames), 1L, Long::sum);
            }
            String top = frames.get(0).getMethod().getType().getName();
            topPackages.merge(top.contains(".") ? top.substring(0, top.lastIndexOf('.')) : top, 1L, Long::sum);
        }
        System.out.printf(Locale.ROOT, "%,d samples of thread %s%n", total, thread);
        long n = Math.max(1, total);
        parts.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / n, k));
        System.out.println("top-of-stack packages:");
        topPackages.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        System.out.println("crypto by the model method that asked for it:");
        cryptoCallers.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
    }

    /** The first frame outside the crypto libraries and snp-abi's sign/keys packages that is ours. */
    private static String modelCaller(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String cls = f.getMethod().getType().getName();
            if (cls.startsWith("dev.snpsim.") && !cls.startsWith("dev.snpsim.abi.sign.")
                    && !cls.startsWith("dev.snpsim.abi.keys.")) {
                return cls.substring("dev.snpsim.".length()) + "." + f.getMethod().getName();
            }
        }
        return "(no snpsim frame)";
    }

    private static String part(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String cls = f.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> p : PARTS.entrySet()) {
                for (String prefix : p.getValue()) {
                    if (cls.startsWith(prefix)) {
                        return p.getKey();
                    }
                }
            }
        }
        return "other (jdk collections, strings, gc safepoints)";
    }
}
