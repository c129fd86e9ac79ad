package dev.reclaim.cleanup;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Names;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the Cleanup Service (docs/rules.md section 4), with the seed's names and defaults.
 * Immutable; build with {@link #builder()} (values are validated as they are set: a bad value is
 * an error, never silently replaced) or read from string key/value pairs with {@link #fromMap}.
 *
 * @param deleteThresholdDays  only tasks whose age basis is older than this many days are deleted (fractions allowed)
 * @param cleanupPeriodInDays  days between runs in service mode
 * @param forceDelete          false: only draft (CREATED) archived tasks; true: archived tasks of any status but PUBLISHED
 * @param runAsService         false: one run; true: repeat every period until stopped
 * @param dryRun               report what would be deleted and the bytes it would free; delete nothing
 * @param ageBasis             which timestamp the age is measured from
 * @param projects             only these projects; empty for all
 * @param keepLast             never delete the newest N (by creation) archived tasks of each project
 * @param pageSize             tasks selected per page
 * @param parallelism          marked pages whose objects are deleted and records finished at once, in the
 *                             background while the next page is selected and marked
 * @param rules                named retention rules applied after the seed's settings (the default rule),
 *                             in the precedence of {@link RetentionRule}; empty for none
 */
public record CleanupSettings(double deleteThresholdDays, double cleanupPeriodInDays, boolean forceDelete,
                              boolean runAsService, boolean dryRun, AgeBasis ageBasis, Set<String> projects,
                              int keepLast, int pageSize, int parallelism, List<RetentionRule> rules) {
    /** Default of {@code delete_threshold_days}. */
    public static final double DEFAULT_DELETE_THRESHOLD_DAYS = 30;
    /** Default of {@code cleanup_period_in_days}. */
    public static final double DEFAULT_CLEANUP_PERIOD_DAYS = 1;
    /** Default of {@code page_size}. */
    public static final int DEFAULT_PAGE_SIZE = 500;
    /** Default of {@code parallelism}. */
    public static final int DEFAULT_PARALLELISM = 3;

    /** Setting names as in the seed, plus ours. */
    public static final String DELETE_THRESHOLD_DAYS = "delete_threshold_days";
    public static final String CLEANUP_PERIOD_IN_DAYS = "cleanup_period_in_days";
    public static final String FORCE_DELETE = "force_delete";
    public static final String RUN_AS_SERVICE = "run_as_service";
    public static final String DRY_RUN = "dry_run";
    public static final String AGE_BASIS = "age_basis";
    public static final String PROJECTS = "projects";
    public static final String KEEP_LAST = "keep_last";
    public static final String PAGE_SIZE = "page_size";
    public static final String PARALLELISM = "parallelism";
    /** The named retention rules, a JSON list ({@link RetentionRules}). */
    public static final String RULES = "rules";
    /** Every setting name, in documentation order. */
    public static final List<String> NAMES = List.of(DELETE_THRESHOLD_DAYS, CLEANUP_PERIOD_IN_DAYS, FORCE_DELETE,
            RUN_AS_SERVICE, DRY_RUN, AGE_BASIS, PROJECTS, KEEP_LAST, PAGE_SIZE, PARALLELISM, RULES);

    public CleanupSettings {
        projects = Set.copyOf(projects);
        rules = List.copyOf(rules);
    }

    /** The defaults. */
    public static CleanupSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.deleteThresholdDays = deleteThresholdDays;
        b.cleanupPeriodInDays = cleanupPeriodInDays;
        b.forceDelete = forceDelete;
        b.runAsService = runAsService;
        b.dryRun = dryRun;
        b.ageBasis = ageBasis;
        b.projects = new TreeSet<>(projects);
        b.keepLast = keepLast;
        b.pageSize = pageSize;
        b.parallelism = parallelism;
        b.rules = rules;
        return b;
    }

    /** The age threshold as a duration. */
    public Duration threshold() {
        return days(deleteThresholdDays);
    }

    /** The period between service runs as a duration. */
    public Duration period() {
        return days(cleanupPeriodInDays);
    }

    private static Duration days(double d) {
        return Duration.ofMillis(Math.round(d * 86_400_000d));
    }

    /** The settings as string key/value pairs (the form stored in the Cleanup Service task's parameters). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DELETE_THRESHOLD_DAYS, num(deleteThresholdDays));
        m.put(CLEANUP_PERIOD_IN_DAYS, num(cleanupPeriodInDays));
        m.put(FORCE_DELETE, String.valueOf(forceDelete));
        m.put(RUN_AS_SERVICE, String.valueOf(runAsService));
        m.put(DRY_RUN, String.valueOf(dryRun));
        m.put(AGE_BASIS, ageBasis.value());
        m.put(PROJECTS, String.join(",", new TreeSet<>(projects)));
        m.put(KEEP_LAST, String.valueOf(keepLast));
        m.put(PAGE_SIZE, String.valueOf(pageSize));
        m.put(PARALLELISM, String.valueOf(parallelism));
        m.put(RULES, RetentionRules.toJson(rules));
        return m;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /**
     * Applies string values over these settings (config file, environment, task parameters, CLI).
     * Unknown names and bad values are errors that name the setting and the accepted values.
     *
     * @param source where the values come from, for messages (e.g. "reclaim.yaml")
     */
    public CleanupSettings with(Map<String, String> values, String source) {
        Builder b = toBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            b.set(e.getKey(), e.getValue(), source);
        }
        return b.build();
    }

    /** Settings from string key/value pairs over the defaults. */
    public static CleanupSettings fromMap(Map<String, String> values, String source) {
        return defaults().with(values, source);
    }

    /** Builder with validation as values are set. */
    public static final class Builder {
        private double deleteThresholdDays = DEFAULT_DELETE_THRESHOLD_DAYS;
        private double cleanupPeriodInDays = DEFAULT_CLEANUP_PERIOD_DAYS;
        private boolean forceDelete;
        private boolean runAsService;
        private boolean dryRun;
        private AgeBasis ageBasis = AgeBasis.ARCHIVED_AT;
        private Set<String> projects = new TreeSet<>();
        private int keepLast;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int parallelism = DEFAULT_PARALLELISM;
        private List<RetentionRule> rules = List.of();

        private Builder() {
        }

        /** Days since the age basis after which an archived task is deleted; >= 0, fractions allowed. */
        public Builder deleteThresholdDays(double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new InvalidArgumentException(DELETE_THRESHOLD_DAYS + " must be a number of days >= 0 (fractions allowed), got " + v);
            }
            deleteThresholdDays = v;
            return this;
        }

        /** Days between service runs; > 0 and at least one minute. */
        public Builder cleanupPeriodInDays(double v) {
            if (!(v > 0) || Double.isInfinite(v) || v * 86_400 < 60) {
                throw new InvalidArgumentException(CLEANUP_PERIOD_IN_DAYS + " must be a number of days of at least one minute (0.0007), got " + v);
            }
            cleanupPeriodInDays = v;
            return this;
        }

        /** Delete archived tasks of any status (except PUBLISHED), not only drafts. */
        public Builder forceDelete(boolean v) { forceDelete = v; return this; }

        /** Repeat every period until stopped. */
        public Builder runAsService(boolean v) { runAsService = v; return this; }

        /** Report only; delete nothing. */
        public Builder dryRun(boolean v) { dryRun = v; return this; }

        /** Which timestamp the age is measured from. */
        public Builder ageBasis(AgeBasis v) {
            if (v == null) {
                throw new InvalidArgumentException(AGE_BASIS + " must be archived_at or status_changed");
            }
            ageBasis = v;
            return this;
        }

        /** Only these projects (empty: all). */
        public Builder projects(Set<String> v) {
            for (String p : v) {
                if (p == null || p.isBlank()) {
                    throw new InvalidArgumentException(PROJECTS + ": empty project name");
                }
                Names.PROJECT.check(p);
            }
            projects = new TreeSet<>(v);
            return this;
        }

        /** Keep the newest N archived tasks of each project; >= 0. */
        public Builder keepLast(int v) {
            if (v < 0) {
                throw new InvalidArgumentException(KEEP_LAST + " must be >= 0, got " + v);
            }
            keepLast = v;
            return this;
        }

        /** Tasks selected per page, 1..500. */
        public Builder pageSize(int v) {
            if (v < 1 || v > 500) {
                throw new InvalidArgumentException(PAGE_SIZE + " must be between 1 and 500, got " + v);
            }
            pageSize = v;
            return this;
        }

        /** Marked pages deleted in the background at once, 1..64: more overlaps storage and database work. */
        public Builder parallelism(int v) {
            if (v < 1 || v > 64) {
                throw new InvalidArgumentException(PARALLELISM + " must be between 1 and 64, got " + v);
            }
            parallelism = v;
            return this;
        }

        /** The named retention rules, in order; names must differ. */
        public Builder rules(List<RetentionRule> v) {
            // the JSON round trip checks what a list built in code cannot: unique names
            rules = RetentionRules.parse(RetentionRules.toJson(v));
            return this;
        }

        /** Sets one setting from its string form. */
        public Builder set(String name, String value, String source) {
            String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            String v = value == null ? "" : value.trim();
            try {
                switch (key) {
                    case DELETE_THRESHOLD_DAYS -> deleteThresholdDays(number(key, v));
                    case CLEANUP_PERIOD_IN_DAYS -> cleanupPeriodInDays(number(key, v));
                    case FORCE_DELETE -> forceDelete(bool(key, v));
                    case RUN_AS_SERVICE -> runAsService(bool(key, v));
                    case DRY_RUN -> dryRun(bool(key, v));
                    case AGE_BASIS -> ageBasis(AgeBasis.parse(v));
                    case PROJECTS -> projects(v.isEmpty() ? Set.of() : new TreeSet<>(List.of(v.split("\\s*,\\s*"))));
                    case KEEP_LAST -> keepLast(integer(key, v));
                    case PAGE_SIZE -> pageSize(integer(key, v));
                    case PARALLELISM -> parallelism(integer(key, v));
                    case RULES -> rules = RetentionRules.parse(v);
                    default -> throw new InvalidArgumentException("unknown setting '" + name + "'; known settings: "
                            + String.join(", ", NAMES));
                }
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException(source + ": " + e.getMessage());
            }
            return this;
        }

        private static double number(String key, String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException(key + " must be a number, got '" + v + "'");
            }
        }

        private static int integer(String key, String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException(key + " must be a whole number, got '" + v + "'");
            }
        }

        private static boolean bool(String key, String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new InvalidArgumentException(key + " must be true or false, got '" + v + "'");
            };
        }

        public CleanupSettings build() {
            return new CleanupSettings(deleteThresholdDays, cleanupPeriodInDays, forceDelete, runAsService, dryRun, ageBasis,
                    projects, keepLast, pageSize, parallelism, rules);
        }
    }
}
