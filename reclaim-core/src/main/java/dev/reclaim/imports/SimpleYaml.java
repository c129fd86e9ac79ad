package dev.reclaim.imports;

import java.util.HashMap;
import java.util.Map;

/**
 * The top-level {@code key: value} scalars of a small YAML file such as MLflow's {@code meta.yaml};
 * nested mappings, lists and multi-line values are skipped. Enough for the few fields an import
 * reads, without a YAML library in core.
 */
final class SimpleYaml {
    private SimpleYaml() {
    }

    static Map<String, String> scalars(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("#") || line.startsWith("-")) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                continue; // "key:" opens a nested mapping or list; anything else is no scalar
            }
            String key = line.substring(0, colon).trim();
            String value = unquote(stripComment(line.substring(colon + 2).trim()));
            if (value != null && !value.isEmpty()) {
                out.putIfAbsent(key, value);
            }
        }
        return out;
    }

    private static String stripComment(String v) {
        if (v.startsWith("'") || v.startsWith("\"")) {
            return v;
        }
        int hash = v.indexOf(" #");
        return hash >= 0 ? v.substring(0, hash).trim() : v;
    }

    private static String unquote(String v) {
        if (v.equals("null") || v.equals("~") || v.equals("''") || v.equals("\"\"")) {
            return null;
        }
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (v.startsWith("[") || v.startsWith("{")) {
            return null;
        }
        return v;
    }
}
