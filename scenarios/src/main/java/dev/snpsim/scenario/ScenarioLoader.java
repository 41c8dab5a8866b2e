package dev.snpsim.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a scenario (a built-in name, or a YAML/JSON file), applies {@code --set name=value}
 * overrides, substitutes {@code ${name}} parameters, binds strictly and expands sweeps.
 * Nothing half-configured runs: every problem is reported before anything starts.
 */
public final class ScenarioLoader {
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");

    private ScenarioLoader() {
    }

    /** The text of a scenario and where it came from (a path, or "builtin:NAME"). */
    public record Source(String origin, String text, boolean json) {
    }

    /** Finds a built-in scenario by name, else reads the file. */
    public static Source source(String nameOrPath) {
        String res = "/scenarios/" + nameOrPath + ".yaml";
        if (!nameOrPath.contains("/") && !nameOrPath.contains(".")) {
            try (InputStream in = ScenarioLoader.class.getResourceAsStream(res)) {
                if (in != null) {
                    return new Source("builtin:" + nameOrPath, new String(in.readAllBytes(), StandardCharsets.UTF_8), false);
                }
            } catch (IOException e) {
                throw new ScenarioException("builtin scenario '" + nameOrPath + "' is unreadable: " + e.getMessage(), e);
            }
            throw new ScenarioException("no built-in scenario '" + nameOrPath + "' and no such file (see: snpsim list)");
        }
        Path p = Path.of(nameOrPath);
        try {
            return new Source(p.toString(), Files.readString(p), p.toString().toLowerCase().endsWith(".json"));
        } catch (NoSuchFileException e) {
            throw new ScenarioException(p + ": no such file");
        } catch (IOException e) {
            throw new ScenarioException(p + ": " + e.getMessage(), e);
        }
    }

    /**
     * One runnable point: the bound scenario, the parameter values it ran with, the seed, and
     * whether it is the scenario's baseline (run first, compared with every other point).
     */
    public record Point(ScenarioSpec spec, Map<String, Object> parameters, long seed, boolean baseline) {
        public Point(ScenarioSpec spec, Map<String, Object> parameters, long seed) {
            this(spec, parameters, seed, false);
        }
    }

    /**
     * Loads and expands: one {@link Point} per combination of swept values and per seed. The
     * overrides are {@code name=value}: a parameter name, or a dotted path into the file
     * ({@code host.psp.discipline=drr}, {@code tenants.0.guests=50}).
     */
    public static List<Point> load(Source src, List<String> overrides, Long seedOverride) {
        ObjectMapper reader = mapper(src.json());
        // references are not YAML everywhere (inside a flow mapping '{' starts a mapping): read the
        // parameters and the sweep with each reference swapped for a plain placeholder
        JsonNode raw = readTree(reader, src, REF.matcher(src.text()).replaceAll("__param_$1__"));
        Map<String, Object> params = new LinkedHashMap<>();
        JsonNode p = raw.get("parameters");
        if (p != null && p.isObject()) {
            p.fields().forEachRemaining(e -> params.put(e.getKey(), reader.convertValue(e.getValue(), Object.class)));
        }
        Map<String, String> paths = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ScenarioException("--set '" + o + "' is not name=value");
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            if (params.containsKey(key)) {
                params.put(key, scalar(value));
            } else if (key.contains(".")) {
                paths.put(key, value);
            } else {
                throw new ScenarioException("--set " + key + ": no parameter '" + key + "' in " + src.origin()
                        + (params.isEmpty() ? " (it declares none" : " (its parameters: " + String.join(", ", params.keySet()))
                        + "; a dotted path such as host.rateLimit sets a field)");
            }
        }
        Map<String, List<Object>> sweep = sweepOf(reader, raw, src);
        for (String o : overrides) {   // --set of a swept parameter pins it: that dimension is not swept
            sweep.remove(o.substring(0, Math.max(0, o.indexOf('='))).trim());
        }
        for (String k : sweep.keySet()) {
            if (!params.containsKey(k)) {
                throw new ScenarioException(src.origin() + ": sweep names '" + k + "', which is not one of the parameters "
                        + params.keySet());
            }
        }
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>(params));
        for (var e : sweep.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> c : combos) {
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Point> points = new ArrayList<>();
        JsonNode base = raw.get("baseline");
        if (base != null && base.isObject() && !base.isEmpty()) {
            Map<String, Object> combo = new LinkedHashMap<>(params);
            base.fields().forEachRemaining(e -> {
                if (!params.containsKey(e.getKey())) {
                    throw new ScenarioException(src.origin() + ": baseline sets '" + e.getKey()
                            + "', which is not one of the parameters " + params.keySet());
                }
                combo.put(e.getKey(), reader.convertValue(e.getValue(), Object.class));
            });
            ScenarioSpec spec = bind(reader, src, substitute(src, combo), paths);
            points.add(new Point(spec, combo, seedOverride != null ? seedOverride
                    : spec.seeds().isEmpty() ? spec.seed() : spec.seeds().get(0), true));
        }
        for (Map<String, Object> combo : combos) {
            ScenarioSpec spec = bind(reader, src, substitute(src, combo), paths);
            List<Long> seeds = seedOverride != null ? List.of(seedOverride)
                    : spec.seeds().isEmpty() ? List.of(spec.seed()) : spec.seeds();
            for (long seed : seeds) {
                points.add(new Point(spec, combo, seed));
            }
        }
        return points;
    }

    private static Map<String, List<Object>> sweepOf(ObjectMapper reader, JsonNode raw, Source src) {
        Map<String, List<Object>> sweep = new LinkedHashMap<>();
        JsonNode s = raw.get("sweep");
        if (s == null || s.isNull()) {
            return sweep;
        }
        if (!s.isObject()) {
            throw new ScenarioException(src.origin() + ": sweep must map parameter names to lists of values");
        }
        s.fields().forEachRemaining(e -> {
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new ScenarioException(src.origin() + ": sweep of '" + e.getKey() + "' must be a non-empty list");
            }
            List<Object> vs = new ArrayList<>();
            e.getValue().forEach(v -> vs.add(reader.convertValue(v, Object.class)));
            sweep.put(e.getKey(), vs);
        });
        return sweep;
    }

    /** Replaces ${name} by the parameter's value, on the same line so that positions stay true. */
    private static String substitute(Source src, Map<String, Object> params) {
        String[] lines = src.text().split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!src.json() && line.trim().startsWith("#")) {
                out.append(line);
            } else {
                Matcher m = REF.matcher(line);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    String name = m.group(1);
                    if (!params.containsKey(name)) {
                        throw new ScenarioException(src.origin() + ":" + (i + 1) + ":" + (m.start() + 1) + ": ${" + name
                                + "} names no parameter (declared: " + params.keySet() + ")");
                    }
                    m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(params.get(name))));
                }
                m.appendTail(sb);
                out.append(sb);
            }
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static ScenarioSpec bind(ObjectMapper reader, Source src, String text, Map<String, String> paths) {
        ScenarioSpec spec;
        try {
            spec = reader.readValue(text, ScenarioSpec.class);
        } catch (JsonProcessingException e) {
            throw explain(src.origin(), e, text);
        }
        if (paths.isEmpty()) {
            return spec;
        }
        ObjectNode tree = (ObjectNode) readTree(reader, src, text);
        for (var e : paths.entrySet()) {
            set(tree, e.getKey(), e.getValue());
        }
        try {
            return reader.treeToValue(tree, ScenarioSpec.class);
        } catch (JsonProcessingException e) {
            throw explain("--set " + String.join(" --set ", paths.keySet()), e, null);
        }
    }

    private static void set(ObjectNode root, String path, String value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.isArray() ? node.path(index(path, parts[i], node.size())) : node.get(parts[i]);
            if (next == null || next.isMissingNode() || next.isNull()) {
                if (!node.isObject()) {
                    throw new ScenarioException("--set " + path + ": '" + parts[i] + "' does not exist");
                }
                next = ((ObjectNode) node).putObject(parts[i]);
            }
            node = next;
        }
        String last = parts[parts.length - 1];
        Object v = scalar(value);
        JsonNode valueNode = new ObjectMapper().valueToTree(v);
        if (node.isObject()) {
            ((ObjectNode) node).set(last, valueNode);
        } else if (node.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(index(path, last, node.size()), valueNode);
        } else {
            throw new ScenarioException("--set " + path + ": the parent of '" + last + "' is not an object");
        }
    }

    private static int index(String path, String part, int size) {
        try {
            int i = Integer.parseInt(part);
            if (i < 0 || i >= size) {
                throw new ScenarioException("--set " + path + ": index " + i + " is outside 0.." + (size - 1));
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ScenarioException("--set " + path + ": '" + part + "' is not a list index");
        }
    }

    /** "true"/"false", integers and decimals become numbers and booleans; anything else stays text. */
    static Object scalar(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        try {
            return Long.valueOf(v);
        } catch (NumberFormatException ignored) {
            // not an integer
        }
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException ignored) {
            return v;
        }
    }

    private static JsonNode readTree(ObjectMapper reader, Source src, String text) {
        try {
            JsonNode n = reader.readTree(text);
            if (n == null || !n.isObject()) {
                throw new ScenarioException(src.origin() + ": a scenario must be a mapping of keys to values");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw explain(src.origin(), e, text);
        }
    }

    /** Turns Jackson's exception into one line: origin:line:column: what, and a hint. */
    static ScenarioException explain(String origin, JsonProcessingException e, String text) {
        JsonLocation loc = e.getLocation();
        String where = origin + (loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() + ":" + loc.getColumnNr() : "");
        if (e instanceof UnrecognizedPropertyException u && text != null) {
            // a record is bound through its constructor, so Jackson reports the end of the
            // enclosing mapping; point at the key itself
            int[] at = locateKey(text, u.getPropertyName());
            if (at != null) {
                where = origin + ":" + at[0] + ":" + at[1];
            }
        }
        String path = e instanceof JsonMappingException jme ? pathOf(jme) : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown key '" + u.getPropertyName() + "'" + (path.isEmpty() ? "" : " in " + path)
                    + "; known keys: " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
        } else if (e instanceof ValueInstantiationException v) {
            Throwable c = v.getCause() == null ? v : v.getCause();
            what = (path.isEmpty() ? "" : path + ": ") + c.getMessage();
        } else if (e instanceof InvalidFormatException f) {
            what = path + ": '" + f.getValue() + "' is not a " + simple(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            String msg = m.getOriginalMessage();
            if (msg.startsWith("Missing required creator property")) {
                what = "missing required key " + msg.replaceAll(".*'(.*)'.*", "'$1'") + (path.isEmpty() ? "" : " in " + path);
            } else {
                what = path + ": expected " + (m.getTargetType() == null ? "another type" : "a " + simple(m.getTargetType()));
            }
        } else {
            what = e.getOriginalMessage();
        }
        return new ScenarioException(where + ": " + what, e);
    }

    /** Line and column (1-based) of the first "key:" in the text, or null. */
    private static int[] locateKey(String text, String key) {
        Matcher m = Pattern.compile("(^|[\\s{,\"-])\"?" + Pattern.quote(key) + "\"?\\s*:", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            return null;
        }
        int start = m.start() + m.group(1).length();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < start; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, start - lineStart + 1};
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }

    private static String simple(Class<?> c) {
        if (c == Duration.class) {
            return "duration such as 8ms, 2s or 5m";
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
            return "whole number";
        }
        if (c == Double.class || c == double.class) {
            return "number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(c)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "mapping";
        }
        return c.getSimpleName().toLowerCase();
    }

    static ObjectMapper mapper(boolean json) {
        SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<>(Duration.class) {
            @Override
            public Duration deserialize(com.fasterxml.jackson.core.JsonParser p,
                                        com.fasterxml.jackson.databind.DeserializationContext ctxt) throws IOException {
                if (p.currentToken().isNumeric()) {
                    return Duration.ofNanos(Math.round(p.getDoubleValue() * 1e9)); // plain numbers are seconds
                }
                String t = p.getValueAsString();
                try {
                    return Durations.parse(t);
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), t, Duration.class);
                }
            }
        });
        ObjectMapper m = json ? JsonMapper.builder().build() : YAMLMapper.builder().build();
        m.registerModule(durations);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        return m;
    }
}
