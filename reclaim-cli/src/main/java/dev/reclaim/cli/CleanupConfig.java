package dev.reclaim.cli;

import dev.reclaim.cleanup.CleanupSettings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where Cleanup Service settings come from, lowest precedence first: the defaults, the home's
 * config file ({@link ConfigFile}: unqualified keys or a {@code cleanup} section), environment variables {@code RECLAIM_CLEANUP_<SETTING>} (e.g.
 * {@code RECLAIM_CLEANUP_DELETE_THRESHOLD_DAYS}), then command-line flags. A bad value at any
 * layer is an error naming that layer; nothing falls back silently.
 */
final class CleanupConfig {
    /** Prefix of the environment variables. */
    static final String ENV_PREFIX = "RECLAIM_CLEANUP_";
    private CleanupConfig() {
    }

    static CleanupSettings load(Path home, CliEnvironment env, Map<String, String> flags) {
        CleanupSettings s = CleanupSettings.defaults();
        for (Map.Entry<String, ConfigFile.Entry> e : ConfigFile.readHome(home).entrySet()) {
            String key = e.getKey();
            if (key.startsWith(StorageConfig.SECTION + ".") || key.startsWith(ConfigFile.QUEUES + ".")) {
                continue; // the stores' settings (StorageConfig) and the queues' (QueueConfig)
            }
            String name = key.startsWith(ConfigFile.CLEANUP + ".") ? key.substring(ConfigFile.CLEANUP.length() + 1) : key;
            s = s.with(Map.of(name, e.getValue().value()), e.getValue().where());
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
}
