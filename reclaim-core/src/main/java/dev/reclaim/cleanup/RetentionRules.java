package dev.reclaim.cleanup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.cleanup.RetentionRule.Action;
import dev.reclaim.cleanup.RetentionRule.DeleteArtifactsAfter;
import dev.reclaim.cleanup.RetentionRule.DeleteTasksAfter;
import dev.reclaim.cleanup.RetentionRule.Direction;
import dev.reclaim.cleanup.RetentionRule.KeepBest;
import dev.reclaim.cleanup.RetentionRule.Quota;
import dev.reclaim.cleanup.RetentionRule.Scope;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the {@code rules} setting: a JSON array of rule objects (a YAML list in
 * {@code reclaim.yaml} is turned into the same JSON). Every mistake is an error that names the rule,
 * the key and how to write it; nothing is guessed.
 */
public final class RetentionRules {
    /** Most rules in one setting. */
    public static final int MAX_RULES = 100;
    private static final List<String> SCOPE_KEYS = List.of("name", "projects", "tags", "statuses", "archived", "kinds");
    private static final List<String> ACTIONS = List.of("delete_tasks_after", "delete_artifacts_after", "keep_best", "quota");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP]?i?B?)?", Pattern.CASE_INSENSITIVE);

    private RetentionRules() {
    }

    /**
     * Parses the JSON text of the {@code rules} setting (empty or blank: no rules).
     *
     * @throws InvalidArgumentException naming the rule and key that are wrong and how to write them
     */
    public static List<RetentionRule> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("rules is not valid JSON (" + e.getOriginalMessage() + "); write a list of "
                    + "rules, e.g. [{\"name\": \"debug-samples\", \"kinds\": [\"debug\"], \"delete_artifacts_after\": 7}]");
        }
        if (root == null || root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new InvalidArgumentException("rules must be a list of rules, one object each, not " + root.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        if (root.size() > MAX_RULES) {
            throw new InvalidArgumentException("at most " + MAX_RULES + " rules, got " + root.size());
        }
        List<RetentionRule> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            RetentionRule r = rule(root.get(i), i);
            if (!names.add(r.name())) {
                throw new InvalidArgumentException("rules[" + i + "]: the name '" + r.name() + "' is used twice; give each "
                        + "rule its own name");
            }
            out.add(r);
        }
        return List.copyOf(out);
    }

    /** How a named rule's lines begin: {@code rule NAME: ...} (see {@link RulePasses}). */
    private static final Pattern NAMED_LINE = Pattern.compile("^rule ([A-Za-z0-9][A-Za-z0-9._-]*): ");

    /**
     * The name of the rule behind a run's line: {@code rule NAME: ...} names it; the seed's lines
     * (and anything else) are the default rule's.
     */
    public static String ruleOf(String line) {
        if (line == null) {
            return DEFAULT_RULE;
        }
        Matcher m = NAMED_LINE.matcher(line);
        return m.find() ? m.group(1) : DEFAULT_RULE;
    }

    /** The name the seed's settings go by as a rule. */
    public static final String DEFAULT_RULE = "default";

    /** The rules as the JSON text of the {@code rules} setting. */
    public static String toJson(List<RetentionRule> rules) {
        try {
            return Json.mapper().writeValueAsString(rules.stream().map(RetentionRule::toJson).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RetentionRule rule(JsonNode n, int i) {
        String where = "rules[" + i + "]";
        if (!n.isObject()) {
            throw new InvalidArgumentException(where + " must be an object with a name and one action (" + String.join(", ",
                    ACTIONS) + ")");
        }
        String name = n.hasNonNull("name") && n.get("name").isTextual() ? n.get("name").asText() : null;
        if (name == null) {
            throw new InvalidArgumentException(where + " has no name; write name: <a name of your choice>");
        }
        where = where + " (" + name + ")";
        List<String> actions = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (ACTIONS.contains(key)) {
                actions.add(key);
            } else if (!SCOPE_KEYS.contains(key)) {
                throw new InvalidArgumentException(where + ": unknown key '" + key + "'; a rule has " + String.join(", ",
                        SCOPE_KEYS) + " and one of " + String.join(", ", ACTIONS));
            }
        }
        if (actions.size() != 1) {
            throw new InvalidArgumentException(where + ": a rule has exactly one action of " + String.join(", ", ACTIONS)
                    + ", found " + (actions.isEmpty() ? "none" : String.join(" and ", actions)));
        }
        String what = where;
        try {
            Scope scope = new Scope(texts(n, "projects"), texts(n, "tags"), statuses(n), archived(n), kinds(n));
            Action action = action(actions.get(0), n.get(actions.get(0)));
            if (action instanceof DeleteArtifactsAfter && scope.kinds().isEmpty()) {
                throw new InvalidArgumentException("delete_artifacts_after needs kinds: name the kinds it deletes, e.g. "
                        + "kinds: [debug]");
            }
            if (action instanceof DeleteTasksAfter && Boolean.FALSE.equals(scope.archived())) {
                throw new InvalidArgumentException("delete_tasks_after deletes archived tasks only; leave archived out or "
                        + "set it to true (archive tasks to have them deleted)");
            }
            if (action instanceof DeleteTasksAfter && scope.statuses().contains(TaskStatus.PUBLISHED)) {
                throw new InvalidArgumentException("published tasks are never deleted by a rule; remove published from "
                        + "statuses");
            }
            return new RetentionRule(name, scope, action);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(what + ": " + e.getMessage());
        }
    }

    private static Action action(String key, JsonNode v) {
        switch (key) {
            case "delete_tasks_after" -> {
                return new DeleteTasksAfter(days(key, v));
            }
            case "delete_artifacts_after" -> {
                return new DeleteArtifactsAfter(days(key, v));
            }
            case "quota" -> {
                return new Quota(size(v));
            }
            default -> {
                if (!v.isObject()) {
                    throw new InvalidArgumentException("keep_best is an object, e.g. keep_best: {k: 3, metric: val_loss, "
                            + "direction: min}");
                }
                for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!List.of("k", "metric", "direction").contains(f)) {
                        throw new InvalidArgumentException("keep_best: unknown key '" + f + "'; it has k, metric and direction");
                    }
                }
                if (!v.has("k") || !v.get("k").canConvertToInt() || !v.get("k").isIntegralNumber()) {
                    throw new InvalidArgumentException("keep_best.k must be a whole number, e.g. k: 3");
                }
                String metric = v.hasNonNull("metric") ? v.get("metric").asText() : null;
                String dir = v.hasNonNull("direction") ? v.get("direction").asText() : "min";
                Direction d = Arrays.stream(Direction.values()).filter(x -> x.name().equalsIgnoreCase(dir)).findFirst()
                        .orElseThrow(() -> new InvalidArgumentException("keep_best.direction must be min (lower is better, "
                                + "a loss) or max (higher is better, an accuracy), got '" + dir + "'"));
                if (metric == null && v.has("direction")) {
                    throw new InvalidArgumentException("keep_best.direction needs a metric to rank by; without one the "
                            + "newest k are kept");
                }
                return new KeepBest(v.get("k").asInt(), metric, d);
            }
        }
    }

    private static double days(String key, JsonNode v) {
        if (!v.isNumber()) {
            throw new InvalidArgumentException(key + " is a number of days, e.g. " + key + ": 7; got " + v);
        }
        return v.asDouble();
    }

    /**
     * A size: a number of bytes, or a number with a unit: KB, MB, GB, TB, PB (powers of 1000) or
     * KiB, MiB, GiB, TiB, PiB (powers of 1024).
     */
    static long size(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        String text = v.asText().trim();
        Matcher m = SIZE.matcher(text);
        if (!v.isTextual() || !m.matches()) {
            throw new InvalidArgumentException("quota is a size, e.g. 500GB, 2TiB or a number of bytes; got " + v);
        }
        String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
        if (!unit.isEmpty() && !unit.endsWith("B")) {
            throw new InvalidArgumentException("quota unit '" + m.group(2) + "' is not one of B, KB, MB, GB, TB, PB, KiB, "
                    + "MiB, GiB, TiB, PiB");
        }
        boolean binary = unit.contains("I");
        int power = unit.isEmpty() || unit.equals("B") ? 0 : "KMGTP".indexOf(unit.charAt(0)) + 1;
        double bytes = Double.parseDouble(m.group(1)) * Math.pow(binary ? 1024 : 1000, power);
        if (bytes > Long.MAX_VALUE) {
            throw new InvalidArgumentException("quota " + text + " is too large");
        }
        return Math.round(bytes);
    }

    private static Set<String> texts(JsonNode n, String key) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new InvalidArgumentException(key + " is a list, e.g. " + key + ": [a, b]");
        }
        for (JsonNode x : v) {
            if (!x.isTextual() || x.asText().isBlank()) {
                throw new InvalidArgumentException(key + " lists names, found " + x);
            }
            out.add(x.asText());
        }
        return out;
    }

    private static Set<TaskStatus> statuses(JsonNode n) {
        Set<TaskStatus> out = new LinkedHashSet<>();
        for (String s : texts(n, "statuses")) {
            out.add(Arrays.stream(TaskStatus.values()).filter(x -> x.name().equalsIgnoreCase(s)).findFirst()
                    .orElseThrow(() -> new InvalidArgumentException("unknown status '" + s + "'; statuses are "
                            + String.join(", ", Arrays.stream(TaskStatus.values()).map(x -> x.name().toLowerCase(Locale.ROOT))
                            .toList()))));
        }
        return out;
    }

    private static Boolean archived(JsonNode n) {
        JsonNode v = n.get("archived");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new InvalidArgumentException("archived is true (archived tasks only) or false (live tasks only); leave "
                    + "it out for both");
        }
        return v.asBoolean();
    }

    private static Set<ArtifactKind> kinds(JsonNode n) {
        Set<ArtifactKind> out = new LinkedHashSet<>();
        for (String k : texts(n, "kinds")) {
            // the folder names (debug, models, ...) read as the kinds they hold
            String name = Map.of("debug", "debug_sample", "models", "model", "artifacts", "artifact", "logs", "log",
                    "results", "result").getOrDefault(k.toLowerCase(Locale.ROOT), k);
            out.add(ArtifactKind.parse(name));
        }
        return out;
    }
}
