package dev.snpsim.scenario.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Chromium, headless, as a test tool: the DOM it rendered and what it logged. */
public final class HeadlessBrowser {
    public record Rendered(String dom, String log, int exitCode) {
    }

    private HeadlessBrowser() {
    }

    /** The chromium binary, or null when the machine has none. */
    public static Path find() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Loads {@code page} (a file) and returns the DOM after rendering, with Chromium's log. */
    public static Rendered render(Path chromium, Path page, Path workDir) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Path log = workDir.resolve("chromium.log");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile,
                "--dump-dom", page.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish within 90 s");
        }
        return new Rendered(new String(dom, StandardCharsets.UTF_8), Files.readString(log), p.exitValue());
    }
}
