package dev.snpsim.abi.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the shared real-AMD test data (system property {@code snpsim.testdata}). */
final class TestData {
    private TestData() {
    }

    static byte[] realAmd(String name) {
        String prop = System.getProperty("snpsim.testdata");
        Path dir = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "testdata");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..", "shared", "testdata");
        }
        Path file = dir.resolve("real-amd").resolve(name);
        assumeTrue(Files.isReadable(file),
                "real AMD test data " + file.toAbsolutePath() + " is absent (it lives in ../shared/testdata)");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
