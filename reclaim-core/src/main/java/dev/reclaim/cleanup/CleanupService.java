package dev.reclaim.cleanup;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.AbandonedWrites;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.delete.Sleeper;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.TaskStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The Cleanup Service (semantics.md section 4): deletes archived tasks older than a threshold,
 * drafts only unless {@code force_delete}, never PUBLISHED ones; selects by cursor in pages,
 * re-checks each task at deletion (a task unarchived, modified or restarted after selection is
 * skipped), isolates failures per task, records a run report, and holds a lease so only one run
 * happens at a time across every process sharing the store.
 */
public final class CleanupService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CleanupService.class);
    /** Name of the lease that serialises runs. */
    public static final String LEASE = "cleanup-service";
    /** Actor recorded in the audit trail. */
    public static final String ACTOR = "cleanup-service";
    private static final Duration LEASE_TIME = Duration.ofMinutes(2);
    /**
     * How long a run goes between renewals of its lease: a quarter of the lease time, so three
     * renewals can be missed (a page that takes long) before another process may take it. Renewing
     * after every page instead cost each page a write transaction, and the marking thread a wait
     * for the store's writer behind the pages being finished.
     */
    static final Duration LEASE_RENEWAL = LEASE_TIME.dividedBy(4);

    private final Reclaim reclaim;
    private final TaskStore store;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CleanupMetrics metrics;

    /** Created by {@link Reclaim}; use {@link Reclaim#cleanup()}. */
    public CleanupService(Reclaim reclaim) {
        this.reclaim = reclaim;
        this.store = reclaim.taskStore();
        this.metrics = new CleanupMetrics(reclaim.meterRegistry());
    }

    /** Asks a running run (or service loop) to stop after the current batch. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Clears a stop request, so the service can run again. */
    public void clearStop() {
        stopRequested.set(false);
    }

    /** True once a stop was requested. */
    public boolean stopRequested() {
        return stopRequested.get();
    }

    /**
     * One run with these settings.
     *
     * @param serviceTaskId the Cleanup Service task this run belongs to, or null for a local run
     * @throws CleanupBusyException when another process is running cleanup
     */
    public CleanupRun runOnce(CleanupSettings settings, String serviceTaskId, CleanupListener listener) {
        return runOnce(settings, serviceTaskId, listener, () -> false);
    }

    /**
     * One run that also ends after the current batch when {@code stop} says so (besides
     * {@link #requestStop()}); the Cleanup Service task uses it to honour {@code tasks stop}.
     *
     * @throws CleanupBusyException when another process is running cleanup
     */
    public CleanupRun runOnce(CleanupSettings settings, String serviceTaskId, CleanupListener listener, BooleanSupplier stop) {
        BooleanSupplier stopNow = () -> stopRequested.get() || stop.getAsBoolean();
        String holder = "cleanup-" + reclaim.localQueue().substring("local-".length()) + "@" + ProcessHandle.current().pid();
        Instant now = reclaim.clock().instant();
        if (!store.tryAcquireLease(LEASE, holder, now, now.plus(LEASE_TIME))) {
            LeaseInfo l = store.lease(LEASE).orElse(new LeaseInfo(LEASE, "another process", now));
            metrics.runEnded("busy", settings.dryRun(), null);
            throw new CleanupBusyException(l.holder(), l.expiresAt());
        }
        try {
            if (!settings.dryRun()) {
                reclaim.deleter().resume(DeletionListener.NONE);
                removeAbandonedWrites();
            }
            if (!store.hasStatistics()) {
                store.refreshStatistics(); // no figures at all (PostgreSQL never analyzed): the selection is planned with some
            }
            CleanupRun run = new Pass(settings, serviceTaskId, holder, now, listener, stopNow).run();
            store.insertCleanupRun(run);
            // After the run, not before: the catalog has just changed most, so the next run and
            // every query until then are planned with figures for it as it now is; and the tables
            // are at their smallest (and in cache), where before the run they were to be read cold.
            try {
                store.refreshStatistics();
            } catch (RuntimeException e) {
                LOG.warn("the run finished, but the planner statistics could not be refreshed after it: {}", e.toString());
            }
            metrics.runEnded(run.stoppedEarly() ? "stopped" : "completed", run.dryRun(), run.duration());
            return run;
        } catch (RuntimeException e) {
            metrics.runEnded("failed", settings.dryRun(), Duration.between(now, reclaim.clock().instant()));
            throw e;
        } finally {
            store.releaseLease(LEASE, holder);
        }
    }

    /**
     * Removes the leftovers of uploads abandoned longer than the grace period. They belong to no
     * candidate task, so the run's report (which a dry run must match) leaves them out; the log
     * says what went.
     */
    private void removeAbandonedWrites() {
        // only the folders of abandoned records: a walk of the whole store would cost every run
        AbandonedWrites.Removed removed = new AbandonedWrites(reclaim).remove(ACTOR, DeletionListener.NONE, false);
        if (!removed.nothing()) {
            LOG.info("removed {} abandoned upload(s) ({} object(s), {} bytes) and {} interrupted write(s) ({} bytes)",
                    removed.uploads(), removed.objects(), removed.bytes(), removed.interruptedWrites(), removed.interruptedBytes());
        }
    }

    /**
     * Runs every {@code cleanup_period_in_days} until {@link #requestStop()}: the first run at
     * once, each next one a period after the previous one started.
     *
     * @param sleeper   waits between runs (tests advance a settable clock instead)
     * @param afterRun  told about each run and the time of the next one
     */
    public void runAsService(CleanupSettings settings, String serviceTaskId, CleanupListener listener, Sleeper sleeper,
                             ServiceObserver afterRun) {
        runAsService(settings, serviceTaskId, listener, sleeper, afterRun, () -> false);
    }

    /**
     * Service mode that also ends (after the current batch, or while waiting for the next run)
     * when {@code stop} says so; checked about once a second while waiting.
     */
    public void runAsService(CleanupSettings settings, String serviceTaskId, CleanupListener listener, Sleeper sleeper,
                             ServiceObserver afterRun, BooleanSupplier stop) {
        BooleanSupplier stopNow = () -> stopRequested.get() || stop.getAsBoolean();
        Duration step = Duration.ofSeconds(1);
        while (!stopNow.getAsBoolean()) {
            Instant started = reclaim.clock().instant();
            Instant next = started.plus(settings.period());
            try {
                CleanupRun run = runOnce(settings, serviceTaskId, listener, stop);
                afterRun.ran(run, next);
            } catch (CleanupBusyException busy) {
                afterRun.busy(busy, next);
            } catch (RuntimeException e) {
                afterRun.failed(e, next);
            }
            while (!stopNow.getAsBoolean()) {
                Duration left = Duration.between(reclaim.clock().instant(), next);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                try {
                    sleeper.sleep(left.compareTo(step) < 0 ? left : step);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Told what service mode did. */
    public interface ServiceObserver {
        /** A run ended; the next one starts at {@code next}. */
        void ran(CleanupRun run, Instant next);

        /** Another process held the lease; try again at {@code next}. */
        default void busy(CleanupBusyException e, Instant next) {
        }

        /** The run failed as a whole; try again at {@code next}. */
        default void failed(RuntimeException e, Instant next) {
        }
    }

    /** The run history, newest first. */
    public List<CleanupRun> history(int limit) {
        return store.cleanupRuns(limit);
    }

    /** A marked page whose objects are being purged in the background. */
    private record InFlight(java.util.concurrent.Future<List<DeletionReport>> reports, List<Task> tasks, List<String> rules) {
    }

    /** One pass over the candidates. */
    private final class Pass {
        private final CleanupSettings settings;
        private final String serviceTaskId;
        private final String holder;
        private final CleanupListener listener;
        private final BooleanSupplier stop;
        /** When this run last took or renewed its lease. */
        private Instant leaseRenewedAt;
        private final Map<String, Set<String>> keptByProject = new HashMap<>();
        private final List<CleanupRun.Item> items = new ArrayList<>();
        private final java.util.concurrent.ExecutorService purger;
        /** Pages being purged and finished, oldest first; at most {@code parallelism} of them. */
        private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
        private long candidates;
        private long deleted;
        private long skipped;
        private long failed;
        private long objects;
        private long bytes;

        Pass(CleanupSettings settings, String serviceTaskId, String holder, Instant leaseTakenAt, CleanupListener listener,
             BooleanSupplier stop) {
            this.settings = settings;
            this.leaseRenewedAt = leaseTakenAt;
            this.stop = stop;
            this.serviceTaskId = serviceTaskId;
            this.holder = holder;
            this.listener = listener;
            this.purger = java.util.concurrent.Executors.newFixedThreadPool(settings.parallelism(), r -> {
                Thread t = new Thread(r, "reclaim-cleanup-purge");
                t.setDaemon(true);
                return t;
            });
        }

        CleanupRun run() {
            Instant startedAt = reclaim.clock().instant();
            Instant cutoff = startedAt.minus(settings.threshold());
            TaskQuery.Builder q = selection(cutoff);
            String cursor = null;
            boolean stoppedEarly = false;
            try {
                do {
                    Page<Task> page = store.query(q.cursor(cursor).build());
                    listener.candidatesSelected(page.items().size());
                    candidates += page.items().size();
                    handlePage(page.items(), startedAt);
                    cursor = page.nextCursor();
                    renewLeaseIfDue();
                    if (cursor != null && stop.getAsBoolean()) {
                        stoppedEarly = true;
                        break;
                    }
                } while (cursor != null);
                collectInFlight();
            } finally {
                purger.shutdown();
            }
            return new CleanupRun(Ids.next(startedAt), serviceTaskId, holder, startedAt, reclaim.clock().instant(),
                    settings.dryRun(), settings.toMap(), candidates, deleted, skipped, failed, objects, bytes, items,
                    candidates > items.size(), stoppedEarly);
        }

        private void renewLeaseIfDue() {
            Instant now = reclaim.clock().instant();
            if (Duration.between(leaseRenewedAt, now).compareTo(LEASE_RENEWAL) >= 0) {
                store.tryAcquireLease(LEASE, holder, now, now.plus(LEASE_TIME));
                leaseRenewedAt = now;
            }
        }

        private TaskQuery.Builder selection(Instant cutoff) {
            Set<TaskStatus> statuses = settings.forceDelete()
                    ? EnumSet.of(TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED)
                    : EnumSet.of(TaskStatus.CREATED);
            TimeCondition older = new TimeCondition(TimeCondition.Op.LT, cutoff);
            TaskQuery.Builder q = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED)).statuses(statuses)
                    .projects(settings.projects()).pageSize(settings.pageSize());
            if (settings.ageBasis() == AgeBasis.ARCHIVED_AT) {
                q.archivedAt(List.of(older)).orderBy(List.of(new Order(TaskField.ARCHIVED_AT, false)));
            } else {
                q.statusChanged(List.of(older)).orderBy(List.of(new Order(TaskField.STATUS_CHANGED, false)));
            }
            return q;
        }

        /**
         * Deletes one page of candidates with the batched protocol. Failures stay per task: if
         * the batch as a whole fails, each task is tried on its own.
         */
        private void handlePage(List<Task> page, Instant now) {
            List<Task> chosen = new ArrayList<>();
            List<DeletionMark> marks = new ArrayList<>();
            List<String> rules = new ArrayList<>();
            for (Task t : page) {
                if (settings.keepLast() > 0 && kept(t.project()).contains(t.id())) {
                    add(t, CleanupRun.Outcome.SKIPPED, "keep_last: one of the newest " + settings.keepLast()
                            + " archived tasks of project " + t.project(), 0, 0);
                    continue;
                }
                String rule = rule(t, now);
                chosen.add(t);
                rules.add(rule);
                marks.add(new DeletionMark(t.id(), t.version(), true, true, !settings.forceDelete(),
                        "cleanup service: " + rule, ACTOR, reclaim.clock().instant()));
            }
            if (settings.dryRun()) {
                for (int i = 0; i < chosen.size(); i++) {
                    preview(chosen.get(i), marks.get(i), rules.get(i));
                }
                return;
            }
            List<MarkResult> marked;
            try {
                marked = reclaim.deleter().markAll(marks);
            } catch (RuntimeException batchFailed) {
                collectInFlight();
                List<DeletionReport> one = new ArrayList<>();
                for (DeletionMark m : marks) {
                    one.add(deleteAlone(m));
                }
                recordAll(chosen, one, rules);
                return;
            }
            // Purge and finish this page in the background while the next page is selected and
            // marked, so storage and database work overlap. With two or more pages in flight one
            // page's objects are being deleted while another's records are finished: the store's
            // single writer and the disk are then busy at the same time.
            if (inFlight.size() >= settings.parallelism()) {
                collectOldest();
            }
            java.util.concurrent.Future<List<DeletionReport>> purging = purger.submit(() -> {
                try {
                    return reclaim.deleter().completeAll(marks, marked, DeletionListener.NONE);
                } catch (RuntimeException e) {
                    List<DeletionReport> resumed = new ArrayList<>();
                    for (DeletionMark m : marks) {
                        resumed.add(resumeAlone(m, e));
                    }
                    return resumed;
                }
            });
            inFlight.add(new InFlight(purging, chosen, rules));
        }

        /** Waits for every page in flight and records their outcomes, oldest first. */
        void collectInFlight() {
            while (!inFlight.isEmpty()) {
                collectOldest();
            }
        }

        private void collectOldest() {
            InFlight page = inFlight.peek();
            List<DeletionReport> reports;
            try {
                reports = page.reports().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.reclaim.ReclaimException("interrupted while a batch was being deleted; it resumes on the next run", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new dev.reclaim.ReclaimException("a batch failed: " + e.getCause(), e.getCause());
            }
            inFlight.remove();
            recordAll(page.tasks(), reports, page.rules());
        }

        private void recordAll(List<Task> tasks, List<DeletionReport> reports, List<String> rules) {
            for (int i = 0; i < tasks.size(); i++) {
                record(tasks.get(i), reports.get(i), rules.get(i));
            }
        }

        private DeletionReport deleteAlone(DeletionMark m) {
            try {
                return reclaim.deleter().delete(m, DeletionListener.NONE);
            } catch (RuntimeException e) {
                return new DeletionReport(m.taskId(), DeletionReport.Outcome.INCOMPLETE, "deletion failed: " + e.getMessage(),
                        0, 0, 0, List.of(), 0, List.of());
            }
        }

        private DeletionReport resumeAlone(DeletionMark m, RuntimeException batchError) {
            try {
                return reclaim.deleter().resumeTask(m.taskId(), DeletionListener.NONE);
            } catch (RuntimeException e) {
                return new DeletionReport(m.taskId(), DeletionReport.Outcome.INCOMPLETE, "deletion failed: "
                        + batchError.getMessage() + "; it resumes on the next run", 0, 0, 0, List.of(), 0, List.of());
            }
        }

        private void preview(Task t, DeletionMark mark, String rule) {
            try {
                MarkResult preview = store.previewDeletion(mark);
                if (preview.outcome() == MarkResult.Outcome.MARKED) {
                    deleted++;
                    objects += preview.queuedKeys().size();
                    bytes += preview.queuedBytes();
                    add(t, CleanupRun.Outcome.WOULD_DELETE, rule, preview.queuedKeys().size(), preview.queuedBytes());
                } else {
                    add(t, CleanupRun.Outcome.SKIPPED, skipReason(preview.outcome(), preview.reason()), 0, 0);
                }
            } catch (RuntimeException e) {
                add(t, CleanupRun.Outcome.FAILED, "preview failed: " + e.getMessage(), 0, 0);
            }
        }

        private void record(Task t, DeletionReport r, String rule) {
            switch (r.outcome()) {
                case DELETED -> {
                    deleted++;
                    objects += r.objects();
                    bytes += r.bytes();
                    add(t, CleanupRun.Outcome.DELETED, rule, r.objects(), r.bytes());
                }
                case INCOMPLETE -> add(t, CleanupRun.Outcome.FAILED, r.message(), r.objects(), r.bytes());
                default -> add(t, CleanupRun.Outcome.SKIPPED, skipReason(toMark(r.outcome()), r.message()), 0, 0);
            }
        }

        private String rule(Task t, Instant now) {
            Instant basis = settings.ageBasis().of(t);
            double days = Duration.between(basis, now).toMillis() / 86_400_000d;
            return String.format("%s %.1f days ago > %s days; status %s%s",
                    settings.ageBasis() == AgeBasis.ARCHIVED_AT ? "archived" : "status changed", days,
                    settings.toMap().get(CleanupSettings.DELETE_THRESHOLD_DAYS), t.status(),
                    t.status() == TaskStatus.CREATED ? " (draft)" : " (force_delete)");
        }

        private Duration sinceEligible(Task t) {
            Instant basis = settings.ageBasis().of(t);
            return basis == null ? null : Duration.between(basis.plus(settings.threshold()), reclaim.clock().instant());
        }

        private Set<String> kept(String project) {
            return keptByProject.computeIfAbsent(project, p -> {
                TaskQuery newest = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED)).projects(List.of(p))
                        .orderBy(List.of(new Order(TaskField.CREATED, true))).pageSize(Math.min(500, settings.keepLast()))
                        .build();
                Set<String> ids = new java.util.HashSet<>();
                String cursor = null;
                do {
                    Page<Task> page = store.query(newest.toBuilder().cursor(cursor).build());
                    for (Task t : page.items()) {
                        if (ids.size() < settings.keepLast()) {
                            ids.add(t.id());
                        }
                    }
                    cursor = ids.size() < settings.keepLast() ? page.nextCursor() : null;
                } while (cursor != null);
                return ids;
            });
        }

        private void add(Task t, CleanupRun.Outcome outcome, String rule, long o, long b) {
            CleanupRun.Item item = new CleanupRun.Item(t.id(), t.name(), t.project(), outcome, rule, o, b);
            if (outcome == CleanupRun.Outcome.SKIPPED) {
                skipped++;
            } else if (outcome == CleanupRun.Outcome.FAILED) {
                failed++;
            }
            if (items.size() < CleanupRun.MAX_ITEMS_KEPT) {
                items.add(item);
            }
            if (!settings.dryRun()) {
                metrics.taskDone(item, outcome == CleanupRun.Outcome.DELETED ? sinceEligible(t) : null);
            }
            listener.taskDone(item);
        }
    }

    private static MarkResult.Outcome toMark(DeletionReport.Outcome o) {
        return switch (o) {
            case CHANGED -> MarkResult.Outcome.CHANGED;
            case NOT_FOUND -> MarkResult.Outcome.NOT_FOUND;
            case REFUSED -> MarkResult.Outcome.REFUSED;
            default -> MarkResult.Outcome.MARKED;
        };
    }

    private static String skipReason(MarkResult.Outcome o, String detail) {
        return switch (o) {
            case CHANGED -> "changed since it was selected (unarchived, modified or restarted); kept";
            case NOT_FOUND -> "gone since it was selected";
            case REFUSED -> "protected: " + detail + "; force_delete keeps published models and children";
            case MARKED -> "marked";
        };
    }
}
