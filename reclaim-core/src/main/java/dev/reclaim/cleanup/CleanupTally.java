package dev.reclaim.cleanup;

import dev.reclaim.store.CleanupRun;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds up a run's lines as they come, by project and rule, with memory bounded by the number of
 * groups: pass it as the {@link CleanupListener} of a dry run (or a run) to get totals over every
 * candidate, where the run's report keeps only the first {@value CleanupRun#MAX_ITEMS_KEPT} lines.
 * {@link CleanupService#forecast} adds up its horizons with it, and a preview its groups, so both
 * come from the selection and checks of a run and from nothing else.
 */
public final class CleanupTally implements CleanupListener {
    /**
     * The name of the seed's rule: the settings' (archived tasks older than the threshold, drafts
     * only unless {@code force_delete}). Named retention rules name theirs on each line.
     */
    public static final String DEFAULT_RULE = RetentionRules.DEFAULT_RULE;

    private final Map<Key, long[]> groups = new LinkedHashMap<>();
    private long tasks;
    private long objects;
    private long bytes;
    private long skipped;

    /**
     * What a run deletes (or a dry run would) of one project by one rule.
     *
     * @param project the project ("" for tasks without one)
     * @param rule    the named rule that selected the tasks, or {@link #DEFAULT_RULE} for the seed's
     * @param tasks   tasks deleted (or that would be)
     * @param objects objects freed (or that would be)
     * @param bytes   bytes freed (or that would be)
     */
    public record Group(String project, String rule, long tasks, long objects, long bytes) {
    }

    private record Key(String project, String rule) {
    }

    @Override
    public synchronized void taskDone(CleanupRun.Item item) {
        if (item.outcome() != CleanupRun.Outcome.WOULD_DELETE && item.outcome() != CleanupRun.Outcome.DELETED) {
            skipped++;
            return;
        }
        tasks++;
        objects += item.objects();
        bytes += item.bytes();
        long[] g = groups.computeIfAbsent(new Key(Objects.requireNonNullElse(item.project(), ""), ruleOf(item.rule())),
                k -> new long[3]);
        g[0]++;
        g[1] += item.objects();
        g[2] += item.bytes();
    }

    /**
     * The rule a line names: a named rule's lines start with {@code rule NAME: }; the seed's lines
     * (and anything else) belong to {@link #DEFAULT_RULE}.
     */
    static String ruleOf(String text) {
        return RetentionRules.ruleOf(text);
    }

    /** Every group so far, most bytes first, then by project and rule. */
    public synchronized List<Group> groups() {
        List<Group> out = new ArrayList<>();
        groups.forEach((k, g) -> out.add(new Group(k.project(), k.rule(), g[0], g[1], g[2])));
        out.sort(Comparator.comparingLong(Group::bytes).reversed().thenComparing(Group::project)
                .thenComparing(Group::rule));
        return out;
    }

    /** Tasks deleted (or that would be) so far, in every group. */
    public synchronized long tasks() {
        return tasks;
    }

    /** Objects freed (or that would be) so far, in every group. */
    public synchronized long objects() {
        return objects;
    }

    /** Bytes freed (or that would be) so far, in every group. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Candidates kept (a rule or a protection) or whose deletion failed. */
    public synchronized long skipped() {
        return skipped;
    }

    /** The tally as a forecast's horizon: its groups summed by project. */
    synchronized Forecast.Horizon horizon(int days) {
        Map<String, long[]> byProject = new LinkedHashMap<>();
        groups.forEach((k, g) -> {
            long[] p = byProject.computeIfAbsent(k.project(), x -> new long[3]);
            for (int i = 0; i < 3; i++) {
                p[i] += g[i];
            }
        });
        List<Forecast.ProjectTotal> projects = new ArrayList<>();
        byProject.forEach((name, t) -> projects.add(new Forecast.ProjectTotal(name, t[0], t[1], t[2])));
        projects.sort(Comparator.comparingLong(Forecast.ProjectTotal::bytes).reversed()
                .thenComparing(Forecast.ProjectTotal::project));
        return new Forecast.Horizon(days, tasks, objects, bytes, skipped, projects);
    }
}
