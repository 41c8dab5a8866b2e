package dev.snpsim.sim.rules;

/**
 * Blanks out comments, string and character literals and text blocks of Java source, keeping
 * line breaks, so that patterns match code only and line numbers stay right.
 */
final class JavaCodeOnly {

    private JavaCodeOnly() {
    }

    static String strip(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = blank(s, out, i, end < 0 ? n : end + 2);
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = blank(s, out, i, end < 0 ? n : end + 3);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = blank(s, out, i, Math.min(n, j + 1));
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int blank(String s, StringBuilder out, int from, int to) {
        for (int k = from; k < to; k++) {
            out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        }
        return to;
    }
}
