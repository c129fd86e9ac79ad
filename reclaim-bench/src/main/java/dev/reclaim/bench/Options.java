package dev.reclaim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --key value} options of a benchmark, with defaults. */
final class Options {
    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    static Options parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got '" + args[i] + "'");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return new Options(m);
    }

    int integer(String key, int def) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : def;
    }

    String string(String key, String def) {
        return values.getOrDefault(key, def);
    }

    /** A scratch folder: {@code --dir} if given, else a new temp folder. */
    Path dir(String prefix) throws IOException {
        return values.containsKey("dir") ? Files.createDirectories(Path.of(values.get("dir")))
                : Files.createTempDirectory(prefix);
    }
}
