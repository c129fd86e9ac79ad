package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The home's configuration file, {@code reclaim.properties} or {@code reclaim.yaml}, read into
 * section-qualified keys: {@code storage.db}, {@code cleanup.delete_threshold_days}. In YAML a
 * line {@code storage:} opens a section for the indented lines after it; an unqualified key is
 * left as it is (cleanup settings were unqualified before sections existed).
 */
final class ConfigFile {
    /** The file names looked for in the home, in the order they are applied. */
    static final List<String> NAMES = List.of("reclaim.properties", "reclaim.yaml");

    private ConfigFile() {
    }

    /** Every key of every config file in {@code home}, later files overriding earlier ones, with the file each came from. */
    static Map<String, Entry> readHome(Path home) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            Path f = home.resolve(name);
            if (Files.isRegularFile(f)) {
                readFile(f).forEach((k, v) -> out.put(k, new Entry(v, f.toString())));
            }
        }
        return out;
    }

    /** One value and the file it came from (for messages). */
    record Entry(String value, String file) {
    }

    private static Map<String, String> readFile(Path f) {
        try {
            if (f.getFileName().toString().endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                Map<String, String> out = new LinkedHashMap<>();
                p.stringPropertyNames().forEach(k -> out.put(k.strip(), p.getProperty(k).strip()));
                return out;
            }
            return readYaml(f, Files.readAllLines(f, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read " + f + ": " + e.getMessage());
        }
    }

    private static Map<String, String> readYaml(Path f, List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        String section = null;
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw new InvalidArgumentException(f + " line " + lineNo + ": expected 'setting: value', got '" + t + "'");
            }
            String key = t.substring(0, colon).strip();
            String value = t.substring(colon + 1).strip();
            if (!indented && value.isEmpty()) {
                section = key;
                continue;
            }
            if (!indented) {
                section = null;
            } else if (section == null) {
                throw new InvalidArgumentException(f + " line " + lineNo + ": '" + key
                        + "' is indented but no section (storage: or cleanup:) opens above it");
            }
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(section == null ? key : section + "." + key, value);
        }
        return out;
    }
}
