package dev.snpsim.scenario.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pass conditions over a point's figures: {@code LEFT OP RIGHT} with OP one of
 * {@code == != < <= > >=}, each side arithmetic ({@code + - * /}, parentheses) over numbers
 * and paths into results.json ({@code totals.staleCertificates}, {@code psp.utilisation},
 * {@code tenants.victims.latencyMs.p99}: a tenant is picked by name).
 */
public final class Thresholds {
    private Thresholds() {
    }

    /** Checks the syntax without figures, so a bad condition fails before the run. */
    public static void validate(String condition) {
        new Parser(condition, null).parseCondition();
    }

    public static PointResult.ThresholdResult evaluate(String condition, JsonNode point) {
        return new Parser(condition, point).parseCondition();
    }

    public static List<PointResult.ThresholdResult> evaluateAll(List<String> conditions, JsonNode point) {
        List<PointResult.ThresholdResult> out = new ArrayList<>();
        for (String c : conditions) {
            out.add(evaluate(c, point));
        }
        return out;
    }

    private static final class Parser {
        private final String text;
        private final JsonNode point;
        private int pos;

        Parser(String text, JsonNode point) {
            this.text = text;
            this.point = point;
        }

        PointResult.ThresholdResult parseCondition() {
            double left = sum();
            skip();
            String op = null;
            for (String o : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                if (text.startsWith(o, pos)) {
                    op = o;
                    pos += o.length();
                    break;
                }
            }
            if (op == null) {
                throw error("expected one of == != < <= > >=");
            }
            double right = sum();
            skip();
            if (pos != text.length()) {
                throw error("unexpected '" + text.substring(pos) + "'");
            }
            boolean ok = switch (op) {
                case "==" -> left == right;
                case "!=" -> left != right;
                case "<=" -> left <= right;
                case ">=" -> left >= right;
                case "<" -> left < right;
                default -> left > right;
            };
            return new PointResult.ThresholdResult(text, left, right, ok);
        }

        private double sum() {
            double v = product();
            while (true) {
                skip();
                if (peek('+')) {
                    pos++;
                    v += product();
                } else if (peek('-')) {
                    pos++;
                    v -= product();
                } else {
                    return v;
                }
            }
        }

        private double product() {
            double v = atom();
            while (true) {
                skip();
                if (peek('*')) {
                    pos++;
                    v *= atom();
                } else if (peek('/')) {
                    pos++;
                    double d = atom();
                    v = d == 0 ? Double.NaN : v / d;
                } else {
                    return v;
                }
            }
        }

        private double atom() {
            skip();
            if (peek('(')) {
                pos++;
                double v = sum();
                skip();
                if (!peek(')')) {
                    throw error("expected ')'");
                }
                pos++;
                return v;
            }
            int start = pos;
            if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                        || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                    pos++;
                }
                try {
                    return Double.parseDouble(text.substring(start, pos));
                } catch (NumberFormatException e) {
                    throw error("'" + text.substring(start, pos) + "' is not a number");
                }
            }
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                    || text.charAt(pos) == '_' || text.charAt(pos) == '-' && pos > start
                    && Character.isLetterOrDigit(text.charAt(pos + 1 < text.length() ? pos + 1 : pos)))) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a number or a path such as totals.verified");
            }
            return lookup(text.substring(start, pos));
        }

        private double lookup(String path) {
            if (point == null) {
                return 0; // validation only
            }
            JsonNode n = point;
            for (String part : path.split("\\.")) {
                if (n.isArray()) {
                    JsonNode found = null;
                    for (JsonNode e : n) {
                        if (part.equals(e.path("name").asText())) {
                            found = e;
                        }
                    }
                    n = found;
                } else {
                    n = n.get(part);
                }
                if (n == null) {
                    throw new IllegalArgumentException("threshold '" + text + "': " + path + " names no figure of the results ('"
                            + part + "' not found)");
                }
            }
            if (!n.isNumber()) {
                throw new IllegalArgumentException("threshold '" + text + "': " + path + " is not a number");
            }
            return n.asDouble();
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skip() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "threshold '%s' at column %d: %s", text, pos + 1,
                    what));
        }
    }
}
