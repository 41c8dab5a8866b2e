package dev.snpsim.sim.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN.md: model code reads time only from SimClock, waits with timers, draws from its own stream. */
class ModelCodeRulesTest {

    /** Model modules' main sources, relative to the repository root. */
    private static final List<String> MODEL_SOURCES =
            List.of("psp-actor/src/main/java", "host-actors/src/main/java", "guest-actors/src/main/java");
    /** Runs real vCPUs on wall time: exempt. */
    private static final String NATIVE_PACKAGE = "dev/snpsim/host/nativekvm";

    /** Surefire runs in the module directory; the repository root is its parent. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("pom.xml")) && Files.isDirectory(here.resolve("../psp-actor"))
                ? here.getParent() : here;
    }

    @Test
    void modelModulesUseOnlySimulationTimeAndSeededRandomness() {
        Path root = repositoryRoot();
        List<ModelCodeScanner.Violation> violations = new ArrayList<>();
        int scanned = 0;
        for (String dir : MODEL_SOURCES) {
            Path src = root.resolve(dir);
            if (Files.isDirectory(src)) {
                scanned++;
                violations.addAll(ModelCodeScanner.scan(src,
                        p -> p.toString().replace('\\', '/').contains(NATIVE_PACKAGE + "/")));
            }
        }
        assumeTrue(scanned > 0, "no model module sources found under " + root + " (run from the source tree)");
        assertThat(violations)
                .withFailMessage(() -> "model code breaks determinism rules:\n" + violations.stream()
                        .map(v -> "  " + root.relativize(v.file()) + ":" + v.line() + ": " + v.rule() + ": " + v.text())
                        .collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void theScanFindsEveryBannedCallWithFileAndLine(@TempDir Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("dev/x"));
        Files.writeString(pkg.resolve("Bad.java"), String.join("\n",
                "package dev.x;",
                "import java.util.concurrent.ThreadLocalRandom;",
                "class Bad {",
                "  long a() { return System.nanoTime(); }",
                "  long b() { return System . currentTimeMillis(); }",
                "  void c() throws Exception { Thread.sleep(5); }",
                "  Object d() { return new java.util.Random(1); }",
                "  Object e() { return java.time.Instant.now(); }",
                "  Object f() { return java.util.concurrent.CompletableFuture.supplyAsync(() -> 1); }",
                "  void g() { getContext().ask(Reply.class, psp, timeout, r -> new Req(r), (a, b) -> a); }",
                "  Object h() { return AskPattern.ask(psp, r -> new Req(r), timeout, scheduler); }",
                "  void i() { SimAsk.ask(getContext(), Reply.class, psp, timeout, r -> new Req(r), (a, b) -> a); }",
                "}"));
        List<ModelCodeScanner.Violation> v = ModelCodeScanner.scan(dir, p -> false);
        assertThat(v).extracting(ModelCodeScanner.Violation::line).containsExactly(2, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(v.get(1).toString()).isEqualTo(pkg.resolve("Bad.java")
                + ":4: System.nanoTime (use SimClock): long a() { return System.nanoTime(); }");
    }

    @Test
    void commentsStringsAndExcludedFilesDoNotCount(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Doc.java"), String.join("\n",
                "/** Never call System.nanoTime() here; use SimClock. */",
                "class Doc {",
                "  // Thread.sleep(1) would block the simulation",
                "  String s = \"new Random(\";",
                "  String t = \"\"\"",
                "      ThreadLocalRandom",
                "      \"\"\";",
                "  char q = '\"'; long ok() { return 1; } /* Instant.now() */",
                "}"));
        Path nat = Files.createDirectories(dir.resolve("nativekvm"));
        Files.writeString(nat.resolve("Vcpu.java"), "class Vcpu { long t = System.nanoTime(); }");
        assertThat(ModelCodeScanner.scan(dir, p -> p.toString().contains("nativekvm"))).isEmpty();
        assertThat(ModelCodeScanner.scan(dir, p -> false)).hasSize(1);
    }
}
