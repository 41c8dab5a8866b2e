package dev.snpsim.scenario.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/** Writes and reads a run's directory: results.json, timeseries.csv, report.html. */
public final class ResultsWriter {
    public static final String RESULTS = "results.json";
    public static final String TIMESERIES = "timeseries.csv";
    public static final String REPORT = "report.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ResultsWriter() {
    }

    public static void write(Path dir, RunResults r) throws IOException {
        Files.createDirectories(dir);
        atomically(dir.resolve(RESULTS), JSON.writeValueAsString(r));
        atomically(dir.resolve(TIMESERIES), csv(r));
        atomically(dir.resolve(REPORT), HtmlReport.render(r));
    }

    /** The results as a JSON tree (what thresholds and {@code snpsim compare} read). */
    public static JsonNode tree(Object resultsOrPoint) {
        return JSON.valueToTree(resultsOrPoint);
    }

    public static RunResults read(Path dir) throws IOException {
        Path f = dir.resolve(RESULTS);
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": no such file (is " + dir + " a run directory?)");
        }
        JsonNode n = JSON.readTree(f.toFile());
        int version = n.path("schemaVersion").asInt(-1);
        if (version != RunResults.SCHEMA_VERSION) {
            throw new IOException(f + ": schemaVersion " + version + " (this snpsim reads " + RunResults.SCHEMA_VERSION + ")");
        }
        ObjectMapper lenient = new ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        PointResult summary = lenient.treeToValue(n, PointResult.class);
        List<PointResult> points = n.has("points")
                ? lenient.readerForListOf(PointResult.class).readValue(n.get("points")) : List.of();
        PointResult baseline = n.hasNonNull("baseline") ? lenient.treeToValue(n.get("baseline"), PointResult.class) : null;
        return new RunResults(version, n.path("scenario").asText(), n.path("description").asText(), n.path("mode").asText(),
                n.path("snpsimVersion").asText(null), baseline, summary, points, n.path("passed").asBoolean());
    }

    static String csv(RunResults r) {
        List<PointResult> points = r.points().isEmpty() ? List.of(r.summary()) : r.points();
        StringBuilder sb = new StringBuilder("point,seed,startSeconds,completed,throughputPerSecond,pspQueueDepth,p99Ms,busy,eagain,lockWaits\n");
        for (int i = 0; i < points.size(); i++) {
            PointResult p = points.get(i);
            for (PointResult.Window w : p.timeseries()) {
                sb.append(String.format(Locale.ROOT, "%d,%d,%.3f,%d,%.3f,%.3f,%.3f,%d,%d,%d%n", i, p.seed(), w.startSeconds(),
                        w.completed(), w.throughputPerSecond(), w.pspQueueDepth(), w.p99Ms(), w.busy(), w.eagain(),
                        w.lockWaits()));
            }
        }
        return sb.toString();
    }

    private static void atomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
