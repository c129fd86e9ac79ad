package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.cleanup.CleanupSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where Cleanup Service settings come from, lowest precedence first: the defaults, the home's
 * config file ({@code reclaim.properties}, or {@code reclaim.yaml} with flat {@code key: value}
 * lines), environment variables {@code RECLAIM_CLEANUP_<SETTING>} (e.g.
 * {@code RECLAIM_CLEANUP_DELETE_THRESHOLD_DAYS}), then command-line flags. A bad value at any
 * layer is an error naming that layer; nothing falls back silently.
 */
final class CleanupConfig {
    /** Prefix of the environment variables. */
    static final String ENV_PREFIX = "RECLAIM_CLEANUP_";
    /** Config file names looked for in the home, in this order. */
    static final List<String> FILES = List.of("reclaim.properties", "reclaim.yaml");

    private CleanupConfig() {
    }

    static CleanupSettings load(Path home, CliEnvironment env, Map<String, String> flags) {
        CleanupSettings s = CleanupSettings.defaults();
        for (String name : FILES) {
            Path f = home.resolve(name);
            if (Files.isRegularFile(f)) {
                s = s.with(read(f), f.toString());
            }
        }
        Map<String, String> fromEnv = new LinkedHashMap<>();
        env.env().forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX)) {
                fromEnv.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT), v);
            }
        });
        s = s.with(fromEnv, "environment (" + ENV_PREFIX + "*)");
        return s.with(flags, "command line");
    }

    private static Map<String, String> read(Path f) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            if (f.getFileName().toString().endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                p.stringPropertyNames().forEach(k -> out.put(stripSection(k), p.getProperty(k)));
                return out;
            }
            int lineNo = 0;
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || t.equals("cleanup:")) {
                    continue;
                }
                int colon = t.indexOf(':');
                if (colon <= 0) {
                    throw new InvalidArgumentException(f + " line " + lineNo + ": expected 'setting: value', got '" + t + "'");
                }
                String value = t.substring(colon + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                out.put(stripSection(t.substring(0, colon).strip()), value);
            }
            return out;
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read " + f + ": " + e.getMessage());
        }
    }

    /** Accepts both {@code delete_threshold_days} and {@code cleanup.delete_threshold_days}. */
    private static String stripSection(String key) {
        return key.startsWith("cleanup.") ? key.substring("cleanup.".length()) : key;
    }
}
