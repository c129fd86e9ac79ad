package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.s3.S3ArtifactStore;
import dev.reclaim.s3.S3Location;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Which stores a command opens. By default the embedded ones in the home ({@code reclaim.db},
 * {@code artifacts/}); {@code --db jdbc:postgresql://...} and {@code --artifacts s3://bucket/prefix}
 * (with {@code --s3-endpoint}, {@code --s3-path-style}, {@code --s3-region}) share state between
 * processes and machines. Each setting comes from its flag, else {@code RECLAIM_<NAME>}, else the
 * {@code storage} section of the home's config file; {@code --query-timeout} (seconds) limits every
 * query and write of the task store. Everything is checked before anything is opened or created,
 * so bad input changes nothing.
 */
final class StorageConfig {
    /** Section of the config file. */
    static final String SECTION = "storage";
    /** The settings of that section. */
    static final List<String> KEYS = List.of("db", "artifacts", "s3_endpoint", "s3_path_style", "s3_region", "query_timeout");

    private final Setting db;
    private final Setting artifacts;
    private final Setting s3Endpoint;
    private final Setting s3PathStyle;
    private final Setting s3Region;
    private final Duration queryTimeout;
    private final Path cwd;

    /** A value and where it came from, for messages. */
    record Setting(String value, String source) {
    }

    private StorageConfig(Setting db, Setting artifacts, Setting s3Endpoint, Setting s3PathStyle, Setting s3Region,
                          Setting queryTimeout, Path cwd) {
        this.db = db;
        this.artifacts = artifacts;
        this.s3Endpoint = s3Endpoint;
        this.s3PathStyle = s3PathStyle;
        this.s3Region = s3Region;
        this.queryTimeout = queryTimeout == null ? JdbcTaskStore.DEFAULT_QUERY_TIMEOUT : seconds(queryTimeout);
        this.cwd = cwd;
    }

    /** Longest query time limit accepted: a day; a limit is there to be reached by a runaway query. */
    private static final long MAX_QUERY_TIMEOUT_SECONDS = 86_400;

    private static Duration seconds(Setting s) {
        BigDecimal value;
        try {
            value = new BigDecimal(s.value().trim());
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.compareTo(new BigDecimal("0.001")) < 0
                || value.compareTo(BigDecimal.valueOf(MAX_QUERY_TIMEOUT_SECONDS)) > 0) {
            throw new InvalidArgumentException("query timeout '" + s.value() + "' (from " + s.source() + ") must be a "
                    + "positive number of seconds, at least 0.001 and at most " + MAX_QUERY_TIMEOUT_SECONDS + ", e.g. 30");
        }
        return Duration.ofMillis(value.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** No settings: the home's own stores, S3 with the AWS defaults; paths relative to {@code cwd}. */
    static StorageConfig defaults(Path cwd) {
        return new StorageConfig(null, null, null, null, null, null, cwd);
    }

    /**
     * Resolves and checks every setting.
     *
     * @param flags values given on the command line by name ({@code db}, {@code artifacts},
     *              {@code s3_endpoint}, {@code s3_path_style}, {@code s3_region}); null when absent
     */
    static StorageConfig resolve(Map<String, String> flags, CliEnvironment env, Path home) {
        Map<String, ConfigFile.Entry> file = ConfigFile.readHome(home); // refuses unknown keys, naming file and line
        StorageConfig c = new StorageConfig(pick("db", flags, env, file), pick("artifacts", flags, env, file),
                pick("s3_endpoint", flags, env, file), pick("s3_path_style", flags, env, file),
                pick("s3_region", flags, env, file), pick("query_timeout", flags, env, file), env.cwd());
        c.check();
        return c;
    }

    private static Setting pick(String name, Map<String, String> flags, CliEnvironment env, Map<String, ConfigFile.Entry> file) {
        if (flags.get(name) != null) {
            return new Setting(flags.get(name), "--" + name.replace('_', '-'));
        }
        String var = "RECLAIM_" + name.toUpperCase(Locale.ROOT);
        if (env.get(var) != null) {
            return new Setting(env.get(var), var);
        }
        ConfigFile.Entry e = file.get(SECTION + "." + name);
        return e == null ? null : new Setting(e.value(), SECTION + "." + name + " in " + e.where());
    }

    private void check() {
        if (db != null && !isPostgres() && sqliteFile() == null) {
            throw new InvalidArgumentException("database '" + db.value() + "' (from " + db.source() + ") is not one Reclaim "
                    + "can use; give jdbc:postgresql://HOST:5432/DB?user=U or jdbc:sqlite:/path/reclaim.db");
        }
        if (isS3()) {
            S3Location.parse(artifacts.value());
        } else if (artifacts != null && artifacts.value().isBlank()) {
            throw new InvalidArgumentException("artifacts location (from " + artifacts.source() + ") is empty; give a folder "
                    + "or s3://bucket/prefix");
        }
        // the S3 settings apply to every S3 store of the home: the artifact root and the named stores, which
        // only the task store knows; ReclaimHome refuses them through refuseUnusedS3Settings once it does
        if (s3Endpoint != null) {
            URI u;
            try {
                u = URI.create(s3Endpoint.value());
            } catch (IllegalArgumentException e) {
                u = null;
            }
            if (u == null || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new InvalidArgumentException("S3 endpoint '" + s3Endpoint.value() + "' (from " + s3Endpoint.source()
                        + ") is not an http(s) URL; write e.g. --s3-endpoint http://127.0.0.1:9000");
            }
        }
        if (s3PathStyle != null && !s3PathStyle.value().equalsIgnoreCase("true") && !s3PathStyle.value().equalsIgnoreCase("false")) {
            throw new InvalidArgumentException("s3 path style '" + s3PathStyle.value() + "' (from " + s3PathStyle.source()
                    + ") must be true or false");
        }
    }

    private boolean isPostgres() {
        return db != null && db.value().startsWith("jdbc:postgresql:");
    }

    private Path sqliteFile() {
        if (db == null || !db.value().startsWith("jdbc:sqlite:") || db.value().length() == "jdbc:sqlite:".length()) {
            return null;
        }
        return cwd.resolve(db.value().substring("jdbc:sqlite:".length())).normalize();
    }

    private boolean isS3() {
        return artifacts != null && artifacts.value().startsWith("s3://");
    }

    /** True when an S3 setting is given and the artifact root is not on S3: it must be for a named store. */
    boolean hasS3SettingsBeyondTheRoot() {
        return !isS3() && s3Setting() != null;
    }

    private Setting s3Setting() {
        for (Setting s : new Setting[]{s3Endpoint, s3PathStyle, s3Region}) {
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * Refuses S3 settings that apply to no store of the home: neither the artifact root nor one of
     * {@code namedLocations} (the named stores', and one being added) is on S3.
     */
    void refuseUnusedS3Settings(Collection<String> namedLocations) {
        Setting given = s3Setting();
        if (given == null || isS3() || namedLocations.stream().anyMatch(l -> l != null && l.startsWith("s3://"))) {
            return;
        }
        throw new InvalidArgumentException(given.source() + " applies only to S3 stores, and this home has none; add "
                + "--artifacts s3://BUCKET/PREFIX, add an S3 store (reclaim stores add NAME s3://BUCKET/PREFIX), or drop it");
    }

    /** The SQLite file the task store is in (the home's unless configured otherwise); null for PostgreSQL. */
    Path sqliteFile(Path defaultDatabase) {
        return isPostgres() ? null : db == null ? defaultDatabase : sqliteFile();
    }

    /**
     * Opens the task store for reading only: a SQLite file is opened read-only (nothing created,
     * locked or migrated); PostgreSQL as usual, since its access does not depend on the home.
     */
    TaskStore openTaskStoreForReading(Path defaultDatabase) {
        return isPostgres() ? openTaskStore(defaultDatabase)
                : JdbcTaskStore.openSqliteReadOnly(sqliteFile(defaultDatabase), queryTimeout);
    }

    /** Opens the task store: the home's SQLite file unless configured otherwise. */
    TaskStore openTaskStore(Path defaultDatabase) {
        if (isPostgres()) {
            return JdbcTaskStore.openPostgres(db.value(), null, null, JdbcTaskStore.DEFAULT_POOL_SIZE, queryTimeout);
        }
        return JdbcTaskStore.openSqlite(db == null ? defaultDatabase : sqliteFile(), queryTimeout);
    }

    /** The folder of a filesystem artifact store (the home's unless configured otherwise); null for S3. */
    Path artifactFolder(Path defaultFolder) {
        if (isS3()) {
            return null;
        }
        if (artifacts == null) {
            return defaultFolder;
        }
        String v = artifacts.value().startsWith("file:") ? artifacts.value().substring("file:".length()) : artifacts.value();
        return cwd.resolve(v).normalize();
    }

    /** Where the artifact location came from, for messages: --artifacts, a variable, the config file, or null (the home's). */
    String artifactsSource() {
        return artifacts == null ? null : artifacts.source();
    }

    /**
     * Opens the artifact store: the home's folder unless configured otherwise. An S3 store is
     * checked first (bucket exists, writes and deletes permitted) and fails loudly with the reason.
     */
    ArtifactStore openArtifactStore(Path defaultFolder) {
        if (isS3()) {
            return openS3(S3Location.parse(artifacts.value()), true);
        }
        return FileArtifactStore.open(artifactFolder(defaultFolder));
    }

    /**
     * Opens a named artifact store at {@code location} ({@code s3://bucket/prefix}, with this home's
     * S3 settings; or {@code file:/path}, a folder that must exist: a store holds data that is
     * already there, so a missing folder is never created). An S3 store gets no write probe, unlike
     * the artifact root: Reclaim writes nothing into a named store but its marker, and reading the
     * marker when the instance is built checks the bucket, the endpoint and the credentials.
     *
     * @param name for messages
     * @throws InvalidArgumentException when the location is no folder or S3 location
     */
    ArtifactStore openNamedStore(String name, String location) {
        if (location.startsWith("s3://")) {
            return openS3(S3Location.parse(location), false);
        }
        Path folder = namedFolder(location);
        if (folder == null) {
            throw new InvalidArgumentException("the artifact store '" + name + "' is at '" + location + "', which is no "
                    + "folder or S3 location; give DIR, file:///DIR or s3://BUCKET/PREFIX");
        }
        if (!Files.isDirectory(folder)) {
            throw new InvalidArgumentException("the artifact store '" + name + "' at " + location + " cannot be used: "
                    + folder + " is not a folder (gone, unmounted or a file). A store holds data that is already there, "
                    + "so Reclaim does not create it; mount or restore it");
        }
        return FileArtifactStore.open(folder);
    }

    /** The folder of a location given as {@code DIR}, {@code file:DIR} or {@code file:///DIR}; null for S3 or an empty one. */
    Path namedFolder(String location) {
        if (location == null || location.isBlank() || location.startsWith("s3://")) {
            return null;
        }
        String v = location;
        if (v.startsWith("file://")) {
            v = v.substring("file://".length());
        } else if (v.startsWith("file:")) {
            v = v.substring("file:".length());
        }
        return v.isEmpty() ? null : cwd.resolve(v).normalize();
    }

    /** @param probe put and delete a probe object, as the artifact root's start-up check does */
    private ArtifactStore openS3(S3Location location, boolean probe) {
        S3ArtifactStore.Builder b = S3ArtifactStore.builder().location(location);
        if (s3Endpoint != null) {
            b.endpointOverride(URI.create(s3Endpoint.value()));
        }
        if (s3PathStyle != null) {
            b.pathStyleAccess(Boolean.parseBoolean(s3PathStyle.value().toLowerCase(Locale.ROOT)));
        }
        if (s3Region != null) {
            b.region(s3Region.value());
        }
        S3ArtifactStore store = b.build();
        if (!probe) {
            return store;
        }
        try {
            store.verifyAccess();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Checks a named store's location as given by a person, before anything is opened or created: a
     * bad S3 location, and a folder that does not exist, are refused.
     */
    void checkNamedLocation(String location) {
        if (location.startsWith("s3://")) {
            S3Location.parse(location);
            return;
        }
        Path folder = namedFolder(location);
        if (folder == null) {
            throw new InvalidArgumentException("store location '" + location + "' is empty or not a location; give a "
                    + "folder (DIR or file:///DIR) or s3://BUCKET/PREFIX");
        }
        if (!Files.isDirectory(folder)) {
            throw new InvalidArgumentException("store location " + folder + " is not a folder (missing, or a file); a "
                    + "store holds data that is already there, so Reclaim does not create it. Give an existing folder");
        }
    }
}
