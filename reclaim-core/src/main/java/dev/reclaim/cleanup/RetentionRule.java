package dev.reclaim.cleanup;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Names;
import dev.reclaim.model.TaskStatus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One named retention rule of the Cleanup Service (docs/rules.md, "Retention rules"): a scope (which
 * tasks and artifacts it looks at) and one action. Rules are applied in a fixed precedence: holds,
 * then the seed's protections (published, inputs in use, unretrieved results), then keep rules
 * ({@link KeepBest}), then delete rules ({@link DeleteTasksAfter}, {@link DeleteArtifactsAfter},
 * {@link Quota}) in the order they are listed. A rule never deletes what a stronger one keeps.
 *
 * @param name   unique among the rules; named in dry runs, history, audit and metrics
 * @param scope  which tasks and artifacts the rule looks at
 * @param action what it does there
 */
public record RetentionRule(String name, Scope scope, Action action) {
    public RetentionRule {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(action, "action");
        if (name == null || name.isBlank() || name.length() > 100 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidArgumentException("a rule's name must be 1 to 100 letters, digits, '.', '_' or '-', starting "
                    + "with a letter or digit; got '" + name + "'");
        }
    }

    /**
     * Which tasks and artifacts a rule looks at. Empty sets mean any.
     *
     * @param projects only tasks of these projects
     * @param tags     only tasks carrying all of these tags
     * @param statuses only tasks in these statuses
     * @param archived only archived tasks (true), only live ones (false), or both (null)
     * @param kinds    only artifacts of these kinds (for artifact actions; a task action reads it as
     *                 "tasks holding such artifacts" only for {@link Quota}'s second step)
     */
    public record Scope(Set<String> projects, Set<String> tags, Set<TaskStatus> statuses, Boolean archived,
                        Set<ArtifactKind> kinds) {
        /** Everything. */
        public static final Scope ALL = new Scope(Set.of(), Set.of(), Set.of(), null, Set.of());

        public Scope {
            projects = Set.copyOf(projects);
            tags = Set.copyOf(tags);
            statuses = Set.copyOf(statuses);
            kinds = Set.copyOf(kinds);
            projects.forEach(Names.PROJECT::check);
        }

        /** True when the task's fields put it in this scope (kinds aside). */
        public boolean covers(String project, Set<String> taskTags, TaskStatus status, boolean isArchived) {
            return (projects.isEmpty() || projects.contains(project)) && taskTags.containsAll(tags)
                    && (statuses.isEmpty() || statuses.contains(status)) && (archived == null || archived == isArchived);
        }

        /** True when an artifact of this kind is in scope. */
        public boolean covers(ArtifactKind kind) {
            return kinds.isEmpty() || kinds.contains(kind);
        }
    }

    /** What a rule does. */
    public sealed interface Action permits DeleteTasksAfter, DeleteArtifactsAfter, KeepBest, Quota {
        /** The key it is written with. */
        String key();

        /** True for a keep rule, which protects from the delete rules. */
        default boolean keeps() {
            return false;
        }
    }

    /**
     * Deletes archived tasks archived more than {@code days} ago (drafts only unless the scope names
     * statuses; never PUBLISHED), as the seed's settings do.
     */
    public record DeleteTasksAfter(double days) implements Action {
        public DeleteTasksAfter {
            positiveDays("delete_tasks_after", days);
        }

        @Override
        public String key() {
            return "delete_tasks_after";
        }

        /** The age as a duration. */
        public Duration age() {
            return Duration.ofMillis(Math.round(days * 86_400_000d));
        }
    }

    /** Deletes artifacts (of the scope's kinds) created more than {@code days} ago, in live tasks too. */
    public record DeleteArtifactsAfter(double days) implements Action {
        public DeleteArtifactsAfter {
            positiveDays("delete_artifacts_after", days);
        }

        @Override
        public String key() {
            return "delete_artifacts_after";
        }

        /** The age as a duration. */
        public Duration age() {
            return Duration.ofMillis(Math.round(days * 86_400_000d));
        }
    }

    /**
     * Keeps, in each task, the best {@code k} artifacts of the scope's kinds by a metric (the lowest
     * with {@code min}, the highest with {@code max}), or the newest {@code k} when none of them has
     * the metric; deletes the others. Those without the metric rank after those with it, newest first.
     */
    public record KeepBest(int k, String metric, Direction direction) implements Action {
        public KeepBest {
            if (k < 1 || k > 1000) {
                throw new InvalidArgumentException("keep_best.k must be between 1 and 1000, got " + k);
            }
            if (metric != null) {
                Names.METRIC_NAME.check(metric);
            }
            Objects.requireNonNull(direction, "direction");
        }

        @Override
        public String key() {
            return "keep_best";
        }

        @Override
        public boolean keeps() {
            return true;
        }
    }

    /** Which metric values are best. */
    public enum Direction {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /**
     * Keeps each project of the scope at or under {@code bytes}: deletes its oldest eligible archived
     * tasks first, then (when the scope names kinds) the oldest artifacts of those kinds, until the
     * project is under; never what a hold, a protection or a keep rule keeps.
     */
    public record Quota(long bytes) implements Action {
        public Quota {
            if (bytes < 0) {
                throw new InvalidArgumentException("quota must be a size of 0 bytes or more, got " + bytes);
            }
        }

        @Override
        public String key() {
            return "quota";
        }
    }

    private static void positiveDays(String key, double days) {
        if (!(days >= 0) || Double.isInfinite(days)) {
            throw new InvalidArgumentException(key + " must be a number of days >= 0 (fractions allowed), got " + days);
        }
    }

    /** The rule as the JSON object it is written as (the inverse of {@link RetentionRules#parse}). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (!scope.projects().isEmpty()) {
            m.put("projects", List.copyOf(new TreeSet<>(scope.projects())));
        }
        if (!scope.tags().isEmpty()) {
            m.put("tags", List.copyOf(new TreeSet<>(scope.tags())));
        }
        if (!scope.statuses().isEmpty()) {
            m.put("statuses", scope.statuses().stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        }
        if (scope.archived() != null) {
            m.put("archived", scope.archived());
        }
        if (!scope.kinds().isEmpty()) {
            m.put("kinds", scope.kinds().stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
        }
        if (action instanceof DeleteTasksAfter d) {
            m.put(d.key(), d.days());
        } else if (action instanceof DeleteArtifactsAfter d) {
            m.put(d.key(), d.days());
        } else if (action instanceof KeepBest b) {
            Map<String, Object> kb = new LinkedHashMap<>();
            kb.put("k", b.k());
            if (b.metric() != null) {
                kb.put("metric", b.metric());
                kb.put("direction", b.direction().name().toLowerCase(Locale.ROOT));
            }
            m.put(b.key(), kb);
        } else if (action instanceof Quota q) {
            m.put(q.key(), q.bytes());
        }
        return m;
    }
}
