package dev.reclaim.cleanup;

import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.ResumedDeletions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Cleanup Service's meters. All are registered when the instance is built, so a scrape
 * shows them (at zero) before the first run. Dry runs count as runs but free nothing, so they
 * touch no task, object or byte counter. Prometheus names (via the server's registry):
 * <ul>
 *   <li>{@code reclaim_cleanup_tasks_total{outcome="deleted|skipped|failed"}}</li>
 *   <li>{@code reclaim_cleanup_objects_freed_total}, {@code reclaim_cleanup_bytes_freed_total}</li>
 *   <li>{@code reclaim_cleanup_runs_total{result="completed|stopped|lease_lost|busy|failed", dry_run=...}}</li>
 *   <li>{@code reclaim_cleanup_run_duration_seconds} (timer)</li>
 *   <li>{@code reclaim_cleanup_eligible_to_deleted_seconds} (timer): from the moment a task became
 *       eligible (its age basis plus the threshold) to its deletion — how far behind cleanup runs</li>
 *   <li>{@code reclaim_cleanup_rule_deletions_total{rule}} and {@code reclaim_cleanup_rule_bytes_freed_total{rule}}:
 *       the deletions (a task, or some of a task's artifacts) and bytes of each retention rule, {@code default}
 *       for the seed's settings; as many series as rules, at most {@value RetentionRules#MAX_RULES} and one</li>
 * </ul>
 */
public final class CleanupMetrics {
    private final Map<CleanupRun.Outcome, Counter> tasks = new EnumMap<>(CleanupRun.Outcome.class);
    private final Counter objects;
    private final Counter bytes;
    private final Timer runDuration;
    private final Timer eligibleToDeleted;
    private final MeterRegistry registry;

    /** Registers every meter in {@code registry}. */
    public CleanupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (CleanupRun.Outcome o : new CleanupRun.Outcome[]{CleanupRun.Outcome.DELETED, CleanupRun.Outcome.SKIPPED,
                CleanupRun.Outcome.FAILED}) {
            tasks.put(o, Counter.builder("reclaim.cleanup.tasks").tag("outcome", o.name().toLowerCase())
                    .description("Tasks the Cleanup Service dealt with, by outcome").register(registry));
        }
        objects = Counter.builder("reclaim.cleanup.objects.freed").description("Objects deleted by the Cleanup Service")
                .register(registry);
        bytes = Counter.builder("reclaim.cleanup.bytes.freed").baseUnit("bytes")
                .description("Bytes freed by the Cleanup Service").register(registry);
        runDuration = Timer.builder("reclaim.cleanup.run.duration").description("Duration of Cleanup Service runs")
                .register(registry);
        eligibleToDeleted = Timer.builder("reclaim.cleanup.eligible.to.deleted")
                .description("Time from a task becoming eligible for cleanup to its deletion").register(registry);
        for (String result : new String[]{"completed", "stopped", "lease_lost", "busy", "failed"}) {
            for (boolean dry : new boolean[]{false, true}) {
                runs(result, dry);
            }
        }
    }

    /** One task of a real run was dealt with. */
    void taskDone(CleanupRun.Item item, Duration sinceEligible) {
        CleanupRun.Outcome o = item.outcome();
        Counter c = tasks.get(o);
        if (c == null) {
            return; // WOULD_DELETE: dry runs free nothing
        }
        c.increment();
        if (o == CleanupRun.Outcome.DELETED) {
            objects.increment(item.objects());
            bytes.increment(item.bytes());
            String rule = RetentionRules.ruleOf(item.rule());
            Counter.builder("reclaim.cleanup.rule.deletions").tag("rule", rule)
                    .description("Deletions by the Cleanup Service, by the rule behind each").register(registry).increment();
            Counter.builder("reclaim.cleanup.rule.bytes.freed").tag("rule", rule).baseUnit("bytes")
                    .description("Bytes freed by the Cleanup Service, by the rule behind each").register(registry)
                    .increment(item.bytes());
            if (sinceEligible != null && !sinceEligible.isNegative()) {
                eligibleToDeleted.record(sinceEligible);
            }
        }
    }

    /** A run finished deletions that earlier runs left unfinished: what they freed is freed now. */
    void resumed(ResumedDeletions resumed) {
        objects.increment(resumed.objects());
        bytes.increment(resumed.bytes());
    }

    /** A run ended (or never started) with {@code result}. */
    void runEnded(String result, boolean dryRun, Duration took) {
        runs(result, dryRun).increment();
        if (took != null) {
            runDuration.record(took);
        }
    }

    private Counter runs(String result, boolean dryRun) {
        return Counter.builder("reclaim.cleanup.runs").tag("result", result).tag("dry_run", Boolean.toString(dryRun))
                .description("Cleanup Service runs, by result").register(registry);
    }
}
