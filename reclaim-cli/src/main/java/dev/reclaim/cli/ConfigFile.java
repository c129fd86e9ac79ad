package dev.reclaim.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.Problems;
import dev.reclaim.cleanup.CleanupSettings;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The home's configuration file, {@code reclaim.properties} or {@code reclaim.yaml}, read into
 * section-qualified keys: {@code storage.db}, {@code cleanup.delete_threshold_days}. A key
 * without a section is a cleanup setting (they came before sections existed). The YAML file is
 * read by a YAML parser: {@code storage:} and {@code cleanup:} sections, {@code cleanup.x: v}
 * keys, comments, quoting, and a list for {@code projects}. Every key is checked against the
 * settings that exist, and a value of the wrong shape (a list or a mapping where one value
 * belongs, no value at all) is refused: the message names the file, the line and how to write it.
 * Values themselves are checked by the settings they belong to, with the same file and line.
 */
final class ConfigFile {
    /** The file names looked for in the home, in the order they are applied. */
    static final List<String> NAMES = List.of("reclaim.properties", "reclaim.yaml");
    /** The section of Cleanup Service settings (and of keys given without a section). */
    static final String CLEANUP = "cleanup";
    /** The section of per-queue executor settings: {@code queues.<queue>.<setting>}. */
    static final String QUEUES = "queues";
    /** What a queue may set: its executor and the executor's options. */
    static final List<String> QUEUE_KEYS = List.of("executor", "partition", "time", "gres", "cpus", "mem");

    private static final YAMLFactory YAML = new YAMLFactory();
    /** How each setting is written, for messages that show the fix. */
    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry(CleanupSettings.DELETE_THRESHOLD_DAYS, "7"),
            Map.entry(CleanupSettings.CLEANUP_PERIOD_IN_DAYS, "1"),
            Map.entry(CleanupSettings.FORCE_DELETE, "true or false"),
            Map.entry(CleanupSettings.RUN_AS_SERVICE, "true or false"),
            Map.entry(CleanupSettings.DRY_RUN, "true or false"),
            Map.entry(CleanupSettings.AGE_BASIS, "archived_at or status_changed"),
            Map.entry(CleanupSettings.PROJECTS, "[vision, nlp]"),
            Map.entry(CleanupSettings.KEEP_LAST, "3"),
            Map.entry(CleanupSettings.PAGE_SIZE, "500"),
            Map.entry(CleanupSettings.PARALLELISM, "3"),
            Map.entry(CleanupSettings.RULES, "a list of rules, one '- name: ...' mapping each (see docs/rules.md)"),
            Map.entry("db", "jdbc:postgresql://HOST:5432/DB?user=U"),
            Map.entry("artifacts", "s3://bucket/prefix"),
            Map.entry("s3_endpoint", "http://127.0.0.1:9000"),
            Map.entry("s3_path_style", "true or false"),
            Map.entry("s3_region", "us-east-1"),
            Map.entry("query_timeout", "30 (seconds)"));

    private ConfigFile() {
    }

    /** Every key of every config file in {@code home}, later files overriding earlier ones, with where each came from. */
    static Map<String, Entry> readHome(Path home) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            Path f = home.resolve(name);
            if (Files.isRegularFile(f)) {
                out.putAll(f.getFileName().toString().endsWith(".properties") ? readProperties(f) : readYaml(f));
            }
        }
        return out;
    }

    /**
     * One value and where it came from.
     *
     * @param line its line in the file, or 0 when not known (properties files)
     */
    record Entry(String value, String file, int line) {
        /** "FILE line N", for messages. */
        String where() {
            return line > 0 ? file + " line " + line : file;
        }
    }

    private static Map<String, Entry> readProperties(Path f) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArgumentException("cannot read " + f + ": " + Problems.describe(e));
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            String key = k.strip();
            int dot = key.indexOf('.');
            String section = dot > 0 ? key.substring(0, dot) : CLEANUP;
            String name = dot > 0 ? key.substring(dot + 1) : key;
            if (QUEUES.equals(section)) {
                int second = name.lastIndexOf('.');
                checkQueueKey(f, 0, second > 0 ? name.substring(0, second) : "", second > 0 ? name.substring(second + 1) : name);
            } else {
                checkKnown(f, 0, section, name, dot > 0);
            }
            out.put(section + "." + name, new Entry(p.getProperty(k).strip(), f.toString(), 0));
        }
        return out;
    }

    private static Map<String, Entry> readYaml(Path f) {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8); JsonParser p = YAML.createParser(r)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return out;
            }
            if (t != JsonToken.START_OBJECT) {
                throw bad(f, line(p), "expected 'setting: value' lines, found " + shape(t));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = line(p);
                JsonToken v = p.nextToken();
                if (QUEUES.equals(key)) {
                    readQueues(p, f, line, v, out);
                    continue;
                }
                if (isSection(key) && (v == JsonToken.START_OBJECT || v == JsonToken.VALUE_NULL)) {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            int nameLine = line(p);
                            p.nextToken();
                            checkKnown(f, nameLine, key, name, false);
                            put(out, f, nameLine, key, name, value(p, f, nameLine, key, name));
                        }
                    }
                    continue;
                }
                if (isSection(key)) {
                    throw bad(f, line, key + " is a section: put its settings on indented lines below it, e.g. '"
                            + key + ":' then '  " + known(key).get(0) + ": " + example(known(key).get(0)) + "'");
                }
                int dot = key.indexOf('.');
                String section = dot > 0 ? key.substring(0, dot) : CLEANUP;
                String name = dot > 0 ? key.substring(dot + 1) : key;
                if (dot < 0 && v == JsonToken.START_OBJECT && !isSetting(CLEANUP, name)) {
                    throw bad(f, line, "unknown section '" + key + "'; the sections are " + CLEANUP + ", "
                            + StorageConfig.SECTION + " and " + QUEUES
                            + suggestion(key, List.of(CLEANUP, StorageConfig.SECTION, QUEUES)));
                }
                checkKnown(f, line, section, name, dot > 0);
                put(out, f, line, section, name, value(p, f, line, section, name));
            }
        } catch (JsonProcessingException e) {
            throw notYaml(f, e);
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read " + f + ": " + Problems.describe(e));
        }
        return out;
    }

    /**
     * The {@code queues:} section: a mapping of queue names, each a mapping of {@link #QUEUE_KEYS},
     * read into {@code queues.<queue>.<key>} keys.
     */
    private static void readQueues(JsonParser p, Path f, int line, JsonToken v, Map<String, Entry> out) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            throw bad(f, line, "queues is a section of queue names, each with its settings, e.g. 'queues:' then "
                    + "'  gpu: {executor: slurm, partition: gpu, gres: \"gpu:1\"}'");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String queue = p.currentName();
            int queueLine = line(p);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(f, queueLine, "queue " + queue + " takes settings (" + String.join(", ", QUEUE_KEYS)
                        + "), e.g. '  " + queue + ": {executor: slurm, partition: " + queue + "}'");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int nameLine = line(p);
                JsonToken t = p.nextToken();
                checkQueueKey(f, nameLine, queue, name);
                if (!t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                    throw bad(f, nameLine, "queue " + queue + "'s " + name + " takes one value, not " + shape(t));
                }
                put(out, f, nameLine, QUEUES, queue + "." + name, p.getText());
            }
        }
    }

    private static void checkQueueKey(Path f, int line, String queue, String name) {
        if (queue.isEmpty()) {
            throw bad(f, line, "a queue setting is written queues.QUEUE.SETTING, e.g. queues.gpu.partition=gpu");
        }
        if (!QUEUE_KEYS.contains(name)) {
            throw bad(f, line, "unknown setting '" + name + "' of queue " + queue + suggestion(name, QUEUE_KEYS)
                    + "; a queue has " + String.join(", ", QUEUE_KEYS));
        }
    }

    /**
     * The value the parser is at, as text; a list only for {@code projects}, and for {@code rules} a
     * list of rule mappings, which becomes the JSON text the setting holds (checked by the setting).
     */
    private static String value(JsonParser p, Path f, int line, String section, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            throw bad(f, line, name + " has no value; write it as " + name + ": " + example(name) + ", or remove the line");
        }
        if (t.isScalarValue()) {
            return p.getText();
        }
        if (t == JsonToken.START_ARRAY && CLEANUP.equals(section) && CleanupSettings.RULES.equals(name)) {
            return Json.mapper().writeValueAsString(Json.mapper().readTree(p));
        }
        if (t == JsonToken.START_ARRAY && CLEANUP.equals(section) && CleanupSettings.PROJECTS.equals(name)) {
            StringBuilder joined = new StringBuilder();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (!t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                    throw bad(f, line(p), "projects lists project names, found " + shape(t) + "; write it as projects: "
                            + example(name));
                }
                joined.append(joined.length() == 0 ? "" : ",").append(p.getText());
            }
            return joined.toString();
        }
        throw bad(f, line, name + " takes one value, not " + shape(t) + "; write it as " + name + ": " + example(name));
    }

    private static void put(Map<String, Entry> out, Path f, int line, String section, String name, String value) {
        Entry earlier = out.put(section + "." + name, new Entry(value, f.toString(), line));
        if (earlier != null) {
            throw bad(f, line, name + " is set more than once (first on line " + earlier.line() + "); keep one");
        }
    }

    private static void checkKnown(Path f, int line, String section, String name, boolean qualified) {
        if (!isSection(section)) {
            throw bad(f, line, "unknown section '" + section + "'; the sections are " + CLEANUP + " and "
                    + StorageConfig.SECTION + suggestion(section, List.of(CLEANUP, StorageConfig.SECTION)));
        }
        if (!isSetting(section, name)) {
            List<String> known = known(section);
            throw bad(f, line, "unknown setting '" + name + "'" + (qualified || !CLEANUP.equals(section) ? " in the " + section
                    + " section" : "") + suggestion(name, known) + "; known settings: " + String.join(", ", known));
        }
    }

    private static boolean isSection(String s) {
        return CLEANUP.equals(s) || StorageConfig.SECTION.equals(s);
    }

    private static boolean isSetting(String section, String name) {
        return known(section).contains(name);
    }

    private static List<String> known(String section) {
        return CLEANUP.equals(section) ? CleanupSettings.NAMES : StorageConfig.KEYS;
    }

    private static String example(String name) {
        return EXAMPLES.getOrDefault(name, "VALUE");
    }

    /** " (did you mean X?)" for the closest known name within a few edits, else "". */
    static String suggestion(String given, List<String> known) {
        return known.stream()
                .filter(k -> distance(given, k) <= Math.max(2, k.length() / 4))
                .min(Comparator.comparingInt(k -> distance(given, k)))
                .map(k -> " (did you mean " + k + "?)")
                .orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }

    private static String shape(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping (indented 'name: value' lines)";
            case VALUE_NULL -> "an empty value";
            default -> "a single value";
        };
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static InvalidArgumentException bad(Path f, int line, String what) {
        return new InvalidArgumentException(f + (line > 0 ? " line " + line : "") + ": " + what);
    }

    private static InvalidArgumentException notYaml(Path f, JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String problem = e.getOriginalMessage();
        if (e.getCause() instanceof MarkedYAMLException y) {
            problem = y.getProblem();
            if (y.getProblemMark() != null) {
                line = y.getProblemMark().getLine() + 1;
            }
        }
        String first = problem == null ? "" : problem.lines().findFirst().orElse("").strip();
        return bad(f, line, "not valid YAML" + (first.isEmpty() ? "" : " (" + Problems.scrub(first) + ")")
                + "; write one 'setting: value' per line, sections as 'storage:' with the settings indented below");
    }
}
