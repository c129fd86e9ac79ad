package dev.reclaim.cleanup;

import dev.reclaim.cleanup.RetentionRule.DeleteArtifactsAfter;
import dev.reclaim.cleanup.RetentionRule.DeleteTasksAfter;
import dev.reclaim.cleanup.RetentionRule.Direction;
import dev.reclaim.cleanup.RetentionRule.KeepBest;
import dev.reclaim.cleanup.RetentionRule.Quota;
import dev.reclaim.cleanup.RetentionRule.Scope;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.RetentionQueries;
import dev.reclaim.store.RetentionQueries.RetainedArtifact;
import dev.reclaim.store.RetentionQueries.TaskScope;
import dev.reclaim.store.StorageUsage;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.Group;
import dev.reclaim.store.StorageUsage.UsageQuery;
import dev.reclaim.store.TaskCatalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The named retention rules of one Cleanup Service run, after the seed's settings (the default
 * rule). Precedence: holds and the seed's protections are never deleted (the queries leave them
 * out and the mark re-checks them); what any keep rule keeps is deleted by no rule, the default
 * one included; delete rules then run in the order they are listed. Everything is read with
 * indexed queries a page at a time; a dry run goes through the same code and previews each mark
 * after what the run would have done before it.
 */
final class RulePasses {
    /** What the run does with the marks a rule makes. */
    interface Marker {
        /**
         * Deletes (previews, in a dry run) the marks in order, recording an item for each with its task
         * and rule; returns each mark's outcome.
         */
        List<CleanupRun.Outcome> delete(List<Task> tasks, List<DeletionMark> marks, List<String> rules);

        /** True when the run must stop (a stop asked for, or its lease lost). */
        boolean stopped();
    }

    private final CleanupSettings settings;
    private final TaskCatalog catalog;
    private final ArtifactCatalog records;
    private final RetentionQueries queries;
    private final StorageUsage usage;
    private final Instant now;
    private final String runId;
    private final List<RetentionRule> keepRules;
    private final boolean quotas;
    /** Tasks this run deleted (would delete), whole: no later rule counts them again. */
    private final Set<String> takenTasks = new HashSet<>();
    /** Artifacts this run deleted (would delete) one by one. */
    private final Set<String> takenArtifacts = new HashSet<>();
    /**
     * Tasks some of whose artifacts this run deleted: no later rule of the run deletes them whole, so
     * that a dry run, which changed nothing, counts what the run does (the next run may).
     */
    private final Set<String> touchedTasks = new HashSet<>();
    /** Bytes of LIVE artifact records this run took from each project, for the quotas of a dry run. */
    private final Map<String, Long> takenBytes = new HashMap<>();
    /** Record bytes of what the marks being made would take, by task, until their outcome is known. */
    private final Map<String, Long> pendingBytes = new HashMap<>();

    RulePasses(CleanupSettings settings, TaskCatalog catalog, ArtifactCatalog records, RetentionQueries queries,
               StorageUsage usage, Instant now, String runId) {
        this.settings = settings;
        this.catalog = catalog;
        this.records = records;
        this.queries = queries;
        this.usage = usage;
        this.now = now;
        this.runId = runId;
        this.keepRules = settings.rules().stream().filter(r -> r.action().keeps()).toList();
        this.quotas = settings.rules().stream().anyMatch(r -> r.action() instanceof Quota);
    }

    // ---- what the default rule asks ----------------------------------------------------------------

    /** Why each of these tasks is kept whole by a keep rule (one of its artifacts is kept), by task id. */
    Map<String, String> keptWhole(List<Task> tasks) {
        Map<String, String> out = new HashMap<>();
        if (keepRules.isEmpty()) {
            return out;
        }
        kept(tasks).forEach((artifact, why) -> out.putIfAbsent(why.taskId(), why.reason()));
        return out;
    }

    /**
     * Before the default rule marks a page: what each task would take from its project, when a quota
     * needs it: in a dry run only, as a run's marks give up their usage themselves.
     */
    void willMarkTasks(List<Task> tasks) {
        if (quotas && settings.dryRun() && !tasks.isEmpty()) {
            pendingBytes.putAll(records.liveBytesOf(ids(tasks)));
        }
    }

    /** The outcome of the default rule's mark of a whole task. */
    void outcome(Task t, CleanupRun.Outcome outcome) {
        Long bytes = pendingBytes.remove(t.id());
        if (taken(outcome)) {
            takenTasks.add(t.id());
            if (bytes != null) {
                takenBytes.merge(t.project(), bytes, Long::sum);
            }
        }
    }

    private static boolean taken(CleanupRun.Outcome o) {
        return o == CleanupRun.Outcome.DELETED || o == CleanupRun.Outcome.WOULD_DELETE;
    }

    // ---- the named rules ---------------------------------------------------------------------------

    void run(Marker marker) {
        for (RetentionRule rule : settings.rules()) {
            if (marker.stopped()) {
                return;
            }
            if (rule.action() instanceof DeleteTasksAfter d) {
                deleteTasks(rule, Long.MAX_VALUE, null, marker, "archived more than " + num(d.days()) + " days ago",
                        now.minus(d.age()));
            } else if (rule.action() instanceof DeleteArtifactsAfter d) {
                deleteArtifactsOlderThan(rule, now.minus(d.age()), Long.MAX_VALUE, rule.scope(), marker,
                        "created more than " + num(d.days()) + " days ago");
            } else if (rule.action() instanceof KeepBest) {
                keepBest(rule, marker);
            } else if (rule.action() instanceof Quota q) {
                quota(rule, q, marker);
            }
        }
    }

    /**
     * Deletes whole archived tasks of the rule's scope, oldest archived first, archived before
     * {@code before}, until {@code budget} record bytes are taken (a quota) or none are left.
     *
     * @param project only this project, or null for the scope's
     * @return the record bytes taken
     */
    private long deleteTasks(RetentionRule rule, long budget, String project, Marker marker, String why, Instant before) {
        Scope s = rule.scope();
        Set<TaskStatus> statuses = s.statuses().isEmpty()
                ? settings.forceDelete() ? EnumSet.of(TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED,
                TaskStatus.CANCELED) : EnumSet.of(TaskStatus.CREATED)
                : EnumSet.copyOf(s.statuses());
        statuses.remove(TaskStatus.PUBLISHED);
        List<String> systemTags = List.of(Task.ARCHIVED, "-" + Task.HOLD);
        TaskQuery.Builder q = TaskQuery.builder().systemTags(systemTags).statuses(statuses)
                .projects(project != null ? List.of(project) : s.projects()).tags(s.tags())
                .archivedAt(List.of(new TimeCondition(TimeCondition.Op.LT, before)))
                .orderBy(List.of(new Order(TaskField.ARCHIVED_AT, false))).pageSize(settings.pageSize());
        long taken = 0;
        String cursor = null;
        do {
            Page<Task> page = catalog.query(q.cursor(cursor).build());
            cursor = page.nextCursor();
            List<Task> candidates = new ArrayList<>();
            Map<String, String> kept = keptWhole(page.items());
            Map<String, Long> sizes = budget == Long.MAX_VALUE ? Map.of()
                    : records.liveBytesOf(page.items().stream().map(Task::id).toList());
            long planned = 0;
            for (Task t : page.items()) {
                if (takenTasks.contains(t.id()) || touchedTasks.contains(t.id()) || kept.containsKey(t.id()) || unretrieved(t)) {
                    continue;
                }
                if (planned >= budget - taken) {
                    break;
                }
                candidates.add(t);
                planned += sizes.getOrDefault(t.id(), 0L);
            }
            taken += markTasks(rule, candidates, marker, why);
            if (taken >= budget || marker.stopped()) {
                break;
            }
        } while (cursor != null);
        return taken;
    }

    private long markTasks(RetentionRule rule, List<Task> tasks, Marker marker, String why) {
        if (tasks.isEmpty()) {
            return 0;
        }
        Map<String, Long> sizes = quotas ? records.liveBytesOf(ids(tasks)) : Map.of();
        List<DeletionMark> marks = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        for (Task t : tasks) {
            // as force_delete does: published output models and children are kept, detached
            marks.add(DeletionMark.wholeTask(t.id(), t.version()).refusingPublished(false).inRun(runId)
                    .because("cleanup service: rule " + rule.name(), CleanupService.ACTOR, now));
            rules.add("rule " + rule.name() + ": " + why);
        }
        List<CleanupRun.Outcome> outcomes = marker.delete(tasks, marks, rules);
        long taken = 0;
        for (int i = 0; i < tasks.size(); i++) {
            if (taken(outcomes.get(i))) {
                Task t = tasks.get(i);
                long bytes = sizes.getOrDefault(t.id(), 0L);
                takenTasks.add(t.id());
                takenBytes.merge(t.project(), bytes, Long::sum);
                taken += bytes;
            }
        }
        return taken;
    }

    /**
     * Deletes artifacts of the scope's kinds created before {@code before}, oldest first, kind by
     * kind, until {@code budget} bytes are taken or none are left.
     *
     * @return the record bytes taken
     */
    private long deleteArtifactsOlderThan(RetentionRule rule, Instant before, long budget, Scope scope, Marker marker,
                                          String why) {
        long taken = 0;
        TaskScope ts = new TaskScope(scope.projects(), scope.tags(), scope.statuses(), scope.archived());
        for (ArtifactKind kind : new TreeSet<>(scope.kinds())) {
            RetainedArtifact after = null;
            while (taken < budget && !marker.stopped()) {
                List<RetainedArtifact> page = queries.artifactsCreatedBefore(ts, kind, before, after, settings.pageSize());
                if (page.isEmpty()) {
                    break;
                }
                after = page.get(page.size() - 1);
                List<RetainedArtifact> chosen = new ArrayList<>();
                // read once: the keep rules judge them, and the marks carry their versions
                Map<String, Task> tasks = tasksById(page.stream().map(RetainedArtifact::taskId).distinct().toList());
                Map<String, Why> kept = keepRules.isEmpty() ? Map.of() : kept(List.copyOf(tasks.values()));
                long planned = 0;
                for (RetainedArtifact a : budget == Long.MAX_VALUE ? allOldOfTasks(page, kind, before) : page) {
                    if (takenArtifacts.contains(a.id()) || takenTasks.contains(a.taskId()) || kept.containsKey(a.id())) {
                        continue;
                    }
                    if (planned >= budget - taken) {
                        break;
                    }
                    chosen.add(a);
                    planned += a.sizeBytes();
                }
                taken += markArtifacts(rule, chosen, tasks, marker, why);
            }
        }
        return taken;
    }

    /**
     * Without a budget, every old artifact of the page's tasks goes, not only those on the page: a
     * task's old artifacts then take one mark, not one per page they fall on (pages run by age across
     * tasks, so each task's artifacts are spread over many). The page's tasks are in the scope (the
     * page's query applied it); the artifacts are read by task id through {@code ix_artifacts_task}
     * and judged as the page's query judges them: LIVE, of this kind, created before {@code before}
     * (to the millisecond, as stored), and deletable by a rule. Later pages skip what was taken.
     */
    private List<RetainedArtifact> allOldOfTasks(List<RetainedArtifact> page, ArtifactKind kind, Instant before) {
        List<String> taskIds = page.stream().map(RetainedArtifact::taskId).distinct().toList();
        long cutoff = before.toEpochMilli();
        List<RetainedArtifact> rows = queries.artifactsOfTasks(taskIds, Set.of(kind), null).stream()
                .filter(a -> a.deletable() && a.createdAt().toEpochMilli() < cutoff).toList();
        // the page's order first (oldest first), then the tasks' other old artifacts
        Set<String> onPage = new HashSet<>();
        page.forEach(a -> onPage.add(a.id()));
        List<RetainedArtifact> out = new ArrayList<>(page);
        for (RetainedArtifact a : rows) {
            if (!onPage.contains(a.id())) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Marks the artifacts, one mark per task, in the order of their first artifact; returns the
     * record bytes taken.
     *
     * @param tasks the artifacts' tasks as read for this page (a task missing is gone since)
     */
    private long markArtifacts(RetentionRule rule, List<RetainedArtifact> artifacts, Map<String, Task> tasks,
                               Marker marker, String why) {
        if (artifacts.isEmpty()) {
            return 0;
        }
        Map<String, List<RetainedArtifact>> byTask = new LinkedHashMap<>();
        artifacts.forEach(a -> byTask.computeIfAbsent(a.taskId(), k -> new ArrayList<>()).add(a));
        List<Task> marked = new ArrayList<>();
        List<DeletionMark> marks = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        for (Map.Entry<String, List<RetainedArtifact>> e : byTask.entrySet()) {
            Task t = tasks.get(e.getKey());
            if (t == null || unretrieved(t)) {
                continue; // gone since the artifacts were read, or a job's results nobody retrieved
            }
            Set<String> ids = new TreeSet<>();
            e.getValue().forEach(a -> ids.add(a.id()));
            marked.add(t);
            // refusing, not keeping: the query left protected artifacts out, so a refusal means one
            // became protected since, and the task is skipped rather than changed
            marks.add(DeletionMark.someArtifacts(t.id(), t.version(), ids).refusingPublished(true).inRun(runId)
                    .because("cleanup service: rule " + rule.name(), CleanupService.ACTOR, now));
            rules.add("rule " + rule.name() + ": " + ids.size() + " " + kinds(e.getValue()) + " " + why);
        }
        List<CleanupRun.Outcome> outcomes = marker.delete(marked, marks, rules);
        long taken = 0;
        for (int i = 0; i < marked.size(); i++) {
            if (taken(outcomes.get(i))) {
                touchedTasks.add(marked.get(i).id());
                for (RetainedArtifact a : byTask.get(marked.get(i).id())) {
                    takenArtifacts.add(a.id());
                    takenBytes.merge(a.project(), a.sizeBytes(), Long::sum);
                    taken += a.sizeBytes();
                }
            }
        }
        return taken;
    }

    private void keepBest(RetentionRule rule, Marker marker) {
        Scope s = rule.scope();
        List<String> systemTags = new ArrayList<>(List.of("-" + Task.HOLD));
        if (s.archived() != null) {
            systemTags.add(s.archived() ? Task.ARCHIVED : "-" + Task.ARCHIVED);
        }
        TaskQuery.Builder q = TaskQuery.builder().systemTags(systemTags).statuses(s.statuses()).projects(s.projects())
                .tags(s.tags()).orderBy(List.of(new Order(TaskField.ID, false))).pageSize(settings.pageSize());
        String cursor = null;
        do {
            Page<Task> page = catalog.query(q.cursor(cursor).build());
            cursor = page.nextCursor();
            List<Task> tasks = page.items().stream().filter(t -> !takenTasks.contains(t.id()) && !unretrieved(t)).toList();
            // the rule's own query serves its ranking too: one read of the page's artifacts per keep rule
            List<RetainedArtifact> rows = queries.artifactsOfTasks(ids(tasks), kindsOf(rule), ((KeepBest) rule.action()).metric());
            Map<String, Why> kept = kept(tasks, rule, rows);
            List<RetainedArtifact> chosen = new ArrayList<>();
            for (RetainedArtifact a : rows) {
                if (a.deletable() && !kept.containsKey(a.id()) && !takenArtifacts.contains(a.id())) {
                    chosen.add(a);
                }
            }
            KeepBest kb = (KeepBest) rule.action();
            Map<String, Task> byId = new HashMap<>();
            tasks.forEach(t -> byId.put(t.id(), t));
            markArtifacts(rule, chosen, byId, marker, "outside the best " + kb.k() + (kb.metric() == null ? " (newest)"
                    : " by " + (kb.direction() == Direction.MIN ? "lowest " : "highest ") + kb.metric()));
        } while (cursor != null && !marker.stopped());
    }

    private void quota(RetentionRule rule, Quota q, Marker marker) {
        Scope s = rule.scope();
        List<Group> projects = usage.usage(new UsageQuery(List.of(Dimension.PROJECT), 0, now)).groups();
        for (Group g : projects) {
            String project = g.key().get(0);
            if (project.isEmpty() || (!s.projects().isEmpty() && !s.projects().contains(project)) || marker.stopped()) {
                continue; // '' holds the detached models, which belong to no project
            }
            // a dry run changed nothing: what it would have taken is subtracted here; a run's marks
            // already gave up their usage, in the transaction that made them
            long stored = g.bytes() - (settingsDryRun() ? takenBytes.getOrDefault(project, 0L) : 0);
            long over = stored - q.bytes();
            if (over <= 0) {
                continue;
            }
            String why = "project " + project + " over its quota of " + q.bytes() + " bytes";
            over -= deleteTasks(rule, over, project, marker, why + "; oldest archived first", now);
            if (over > 0 && !s.kinds().isEmpty()) {
                Scope inProject = new Scope(Set.of(project), s.tags(), s.statuses(), s.archived(), s.kinds());
                deleteArtifactsOlderThan(rule, now, over, inProject, marker, why + "; oldest first");
            }
        }
    }

    private boolean settingsDryRun() {
        return settings.dryRun();
    }

    // ---- keep rules --------------------------------------------------------------------------------

    /** Why an artifact is kept: its task, and which keep rule keeps it. */
    private record Why(String taskId, String reason) {
    }

    /** The artifacts of these tasks that a keep rule keeps, each with why. */
    private Map<String, Why> kept(List<Task> tasks) {
        return kept(tasks, null, null);
    }

    /**
     * {@link #kept(List)}, with {@code read}'s artifacts of these tasks already read for keep rule
     * {@code known} (its kinds and metric; the tasks all in its scope) instead of reading them again.
     */
    private Map<String, Why> kept(List<Task> tasks, RetentionRule known, List<RetainedArtifact> read) {
        Map<String, Why> out = new HashMap<>();
        for (RetentionRule rule : keepRules) {
            KeepBest kb = (KeepBest) rule.action();
            List<Task> covered = tasks.stream().filter(t -> rule.scope().covers(t.project(), t.tags(), t.status(),
                    t.isArchived())).toList();
            if (covered.isEmpty()) {
                continue;
            }
            Map<String, List<RetainedArtifact>> byTask = new HashMap<>();
            for (RetainedArtifact a : rule == known && covered.size() == tasks.size() ? read
                    : queries.artifactsOfTasks(ids(covered), kindsOf(rule), kb.metric())) {
                // what this run took is gone in a run; a dry run must rank without it too
                if (!takenArtifacts.contains(a.id())) {
                    byTask.computeIfAbsent(a.taskId(), k -> new ArrayList<>()).add(a);
                }
            }
            String reason = "kept by rule " + rule.name() + " (the best " + kb.k() + ")";
            byTask.forEach((task, list) -> list.stream().sorted(best(kb)).limit(kb.k())
                    .forEach(a -> out.putIfAbsent(a.id(), new Why(task, reason))));
        }
        return out;
    }

    /**
     * Best first: with a metric, those that have it by value (lowest or highest first), then those
     * without; ties and the rest newest first.
     */
    static Comparator<RetainedArtifact> best(KeepBest kb) {
        Comparator<RetainedArtifact> newest = Comparator.comparing(RetainedArtifact::createdAt).reversed()
                .thenComparing(Comparator.comparing(RetainedArtifact::id).reversed());
        if (kb.metric() == null) {
            return newest;
        }
        Comparator<RetainedArtifact> byValue = Comparator.comparing(a -> a.metric() == null ? 0 : a.metric());
        if (kb.direction() == Direction.MAX) {
            byValue = byValue.reversed();
        }
        Comparator<RetainedArtifact> hasMetric = Comparator.comparing(a -> a.metric() == null);
        return hasMetric.thenComparing(byValue).thenComparing(newest);
    }

    private static Set<ArtifactKind> kindsOf(RetentionRule rule) {
        // keep_best without kinds ranks checkpoints: models
        return rule.scope().kinds().isEmpty() ? Set.of(ArtifactKind.MODEL) : rule.scope().kinds();
    }

    /** A job that finished and whose results were never retrieved: the seed keeps it until they are, or force. */
    private static boolean unretrieved(Task t) {
        return t.spec() != null && t.status() == TaskStatus.COMPLETED && t.resultsRetrievedAt() == null;
    }

    /** The live tasks with these ids, by id, in the order given; a page of the catalog per chunk. */
    private Map<String, Task> tasksById(List<String> ids) {
        Map<String, Task> found = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            catalog.query(TaskQuery.builder().ids(chunk).pageSize(chunk.size()).build()).items()
                    .forEach(t -> found.put(t.id(), t));
        }
        Map<String, Task> out = new LinkedHashMap<>();
        ids.forEach(id -> {
            Task t = found.get(id);
            if (t != null) {
                out.put(id, t);
            }
        });
        return out;
    }

    private static List<String> ids(Collection<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += TaskQuery.MAX_PAGE_SIZE) {
            out.add(ids.subList(i, Math.min(ids.size(), i + TaskQuery.MAX_PAGE_SIZE)));
        }
        return out;
    }

    private static String kinds(List<RetainedArtifact> artifacts) {
        return String.join("/", artifacts.stream().map(a -> a.kind().name().toLowerCase(Locale.ROOT))
                .distinct().sorted().toList());
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
