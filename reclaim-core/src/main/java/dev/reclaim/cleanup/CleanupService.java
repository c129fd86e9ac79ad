package dev.reclaim.cleanup;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.delete.AbandonedWrites;
import dev.reclaim.delete.Deleter;
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
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DeletionPreview;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.DeletionQueue;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.LeaseLostException;
import dev.reclaim.store.Leases;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PlannerStatistics;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.ResumedDeletions;
import dev.reclaim.store.RunHistory;
import dev.reclaim.store.RetentionQueries;
import dev.reclaim.store.StorageUsage;
import dev.reclaim.store.SimulatedDeletions;
import dev.reclaim.store.TaskCatalog;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The Cleanup Service (docs/rules.md section 4): deletes archived tasks older than a threshold,
 * drafts only unless {@code force_delete}, never PUBLISHED ones; selects by cursor in pages,
 * re-checks each task at deletion (a task unarchived, modified or restarted after selection is
 * skipped), isolates failures per task, records a run report, and holds a lease so only one run
 * happens at a time across every process sharing the store.
 */
public final class CleanupService {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupService.class);
    /** Name of the lease that serialises runs. */
    public static final String LEASE = "cleanup-service";
    /** Actor recorded in the audit trail. */
    public static final String ACTOR = "cleanup-service";
    private static final Duration LEASE_TIME = Duration.ofMinutes(2);
    /**
     * How long a run goes between renewals of its lease: a quarter of the lease time, so three
     * renewals can be missed (a database that does not answer) before another process may take it.
     * Renewing after every page instead cost each page a write transaction, and the marking thread
     * a wait for the store's writer behind the pages being finished.
     */
    static final Duration LEASE_RENEWAL = LEASE_TIME.dividedBy(4);
    /** How often (real time) a run's lease timer looks whether a renewal is due by the clock. */
    static final Duration LEASE_CHECK = Duration.ofMillis(500);

    private final TaskCatalog catalog;
    private final DeletionQueue queue;
    private final Leases leases;
    private final RunHistory history;
    private final PlannerStatistics statistics;
    private final StorageUsage usage;
    private final ArtifactCatalog records;
    private final RetentionQueries retention;
    private final ArtifactStore artifacts;
    private final Deleter deleter;
    private final AbandonedWrites abandoned;
    private final Clock clock;
    private final String instanceId;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CleanupMetrics metrics;

    /**
     * @param store      the roles a run uses: the catalog it selects from, the deletion queue it
     *                   previews, the lease that keeps runs apart, the run history, planner statistics,
     *                   usage and artifact records (quotas), and what retention rules read
     * @param artifacts  the artifact root (a dry run looks whether queued objects still exist)
     * @param deleter    deletes what a run selects
     * @param abandoned  removes leftovers of unfinished uploads after each run
     * @param clock      time source
     * @param meters     where the run meters are registered
     * @param instanceId this process's id, part of the lease holder's name
     */
    public <S extends TaskCatalog & DeletionQueue & Leases & RunHistory & PlannerStatistics & StorageUsage & ArtifactCatalog
            & RetentionQueries> CleanupService(
            S store, ArtifactStore artifacts, Deleter deleter, AbandonedWrites abandoned, Clock clock,
            MeterRegistry meters, String instanceId) {
        this.catalog = store;
        this.queue = store;
        this.leases = store;
        this.history = store;
        this.statistics = store;
        this.usage = store;
        this.records = store;
        this.retention = store;
        this.artifacts = artifacts;
        this.deleter = deleter;
        this.abandoned = abandoned;
        this.clock = clock;
        this.instanceId = instanceId;
        this.metrics = new CleanupMetrics(meters);
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
     * One run, recording what started it and who ({@link RunOrigin}).
     *
     * @throws CleanupBusyException when another process is running cleanup
     */
    public CleanupRun runOnce(CleanupSettings settings, RunOrigin origin, String serviceTaskId, CleanupListener listener) {
        return runOnce(settings, origin, serviceTaskId, listener, () -> false);
    }

    /**
     * One run that also ends after the current batch when {@code stop} says so (besides
     * {@link #requestStop()}); the Cleanup Service task uses it to honour {@code tasks stop}.
     *
     * @throws CleanupBusyException when another process is running cleanup
     */
    public CleanupRun runOnce(CleanupSettings settings, String serviceTaskId, CleanupListener listener, BooleanSupplier stop) {
        return runOnce(settings, serviceTaskId == null ? RunOrigin.javaApi() : new RunOrigin(RunOrigin.Trigger.SERVICE,
                serviceTaskId), serviceTaskId, listener, stop);
    }

    /**
     * One run, recording what started it and who, that also ends after the current batch when
     * {@code stop} says so.
     *
     * @throws CleanupBusyException when another process is running cleanup
     */
    public CleanupRun runOnce(CleanupSettings settings, RunOrigin origin, String serviceTaskId, CleanupListener listener,
                              BooleanSupplier stop) {
        return runOnce(settings, origin, serviceTaskId, listener, stop, Duration.ZERO, true);
    }

    /**
     * What runs with these settings would delete and free today and after each look-ahead: for each,
     * a dry run of the same selection and the same checks, as if it started that much later with the
     * catalog as it is now (tasks archived since are not foreseen). Nothing is deleted and nothing is
     * recorded in the run history.
     *
     * @param days look-aheads in days, e.g. 0, 7 and 30
     * @throws CleanupBusyException when another process is running cleanup
     */
    public Forecast forecast(CleanupSettings settings, List<Integer> days) {
        CleanupSettings dry = settings.toBuilder().dryRun(true).runAsService(false).build();
        List<Forecast.Horizon> horizons = new ArrayList<>();
        for (int d : days) {
            if (d < 0 || d > Forecast.MAX_DAYS) {
                throw new InvalidArgumentException("a forecast looks 0.." + Forecast.MAX_DAYS + " days ahead, not " + d);
            }
            CleanupTally tally = new CleanupTally();
            runOnce(dry, RunOrigin.javaApi(), null, tally, () -> false, Duration.ofDays(d), false);
            horizons.add(tally.horizon(d));
        }
        return new Forecast(clock.instant(), dry.toMap(), horizons);
    }

    private CleanupRun runOnce(CleanupSettings settings, RunOrigin origin, String serviceTaskId, CleanupListener listener,
                               BooleanSupplier stop, Duration lookAhead, boolean recorded) {
        BooleanSupplier stopNow = () -> stopRequested.get() || stop.getAsBoolean();
        String holder = "cleanup-" + instanceId + "@" + ProcessHandle.current().pid();
        Instant now = clock.instant();
        if (!acquireLease(holder, now)) {
            LeaseInfo l = leases.lease(LEASE).orElse(new LeaseInfo(LEASE, "another process", now));
            metrics.runEnded("busy", settings.dryRun(), null);
            throw new CleanupBusyException(l.holder(), l.expiresAt());
        }
        LeaseKeeper lease = new LeaseKeeper(leases, clock, LEASE, holder, now, LEASE_TIME, LEASE_RENEWAL,
                LEASE_CHECK);
        try {
            ResumedDeletions resumed = settings.dryRun() ? ResumedDeletions.NONE
                    : deleter.resumeAll(DeletionListener.NONE);
            metrics.resumed(resumed);
            if (!statistics.hasStatistics()) {
                statistics.refreshStatistics(); // no figures at all (PostgreSQL never analyzed): the selection is planned with some
            }
            CleanupRun run = new Pass(settings, origin, serviceTaskId, holder, lease, listener, stopNow, lookAhead)
                    .run(resumed);
            listener.passEnded();
            if (!recorded) {
                return run; // a forecast is no run: not in the history, no statistics refreshed, no metrics
            }
            if (!settings.dryRun() && !run.lostLease()) {
                // After the pass: a candidate's abandoned uploads go with it and count in its report,
                // as its dry run predicted; this removes the rest, which belong to no candidate.
                removeAbandonedWrites();
            }
            history.insertCleanupRun(run);
            // After the run, not before: the catalog has just changed most, so the next run and
            // every query until then are planned with figures for it as it now is; and the tables
            // are at their smallest (and in cache), where before the run they were to be read cold.
            try {
                statistics.refreshStatistics();
            } catch (RuntimeException e) {
                LOG.warn("the run finished, but the planner statistics could not be refreshed after it: {}", e.toString());
            }
            // a run changes usage most: fold its changes into the totals, so reports stay a few rows
            try {
                usage.compactUsage();
            } catch (RuntimeException e) {
                LOG.warn("the run finished, but the storage usage totals could not be compacted: {}", e.toString());
            }
            metrics.runEnded(run.lostLease() ? "lease_lost" : run.stoppedEarly() ? "stopped" : "completed", run.dryRun(),
                    run.duration());
            if (run.lostLease()) {
                LOG.warn("cleanup run {} stopped early: {}", run.id(), run.leaseLost());
            }
            return run;
        } catch (RuntimeException e) {
            metrics.runEnded("failed", settings.dryRun(), Duration.between(now, clock.instant()));
            throw e;
        } finally {
            lease.close();
            leases.releaseLease(LEASE, holder);
        }
    }

    /**
     * Takes the cleanup lease: if it is free or ran out, or, at once, if its holder is a process of
     * this host that is known to be gone (killed, or the host restarted). A holder that may still be
     * running, or that cannot be judged from here, keeps it until it runs out.
     */
    private boolean acquireLease(String holder, Instant now) {
        ProcessIdentity self = ProcessIdentity.current();
        if (leases.tryAcquireLease(LEASE, holder, self, now, now.plus(LEASE_TIME))) {
            return true;
        }
        Optional<LeaseInfo> held = leases.lease(LEASE);
        Optional<ProcessIdentity> process = held.flatMap(LeaseInfo::process);
        if (process.isEmpty() || self.judge(process.get()) != ProcessIdentity.Liveness.DEAD) {
            return false;
        }
        boolean taken = leases.takeOverLease(LEASE, held.get().holder(), holder, self, now.plus(LEASE_TIME));
        if (taken) {
            LOG.info("took over the cleanup lease of {} ({}), which is gone", held.get().holder(), process.get().describe());
        }
        return taken;
    }

    /**
     * Removes the leftovers of uploads abandoned longer than the grace period. They belong to no
     * candidate task, so the run's report (which a dry run must match) leaves them out; the log
     * says what went.
     */
    private void removeAbandonedWrites() {
        // only the folders of abandoned records: a walk of the whole store would cost every run
        AbandonedWrites.Removed removed = abandoned.remove(ACTOR, DeletionListener.NONE, false);
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
            Instant started = clock.instant();
            Instant next = started.plus(settings.period());
            try {
                CleanupRun run = runOnce(settings, new RunOrigin(RunOrigin.Trigger.SERVICE, serviceTaskId != null
                        ? serviceTaskId : System.getProperty("user.name")), serviceTaskId, listener, stop);
                afterRun.ran(run, next);
            } catch (CleanupBusyException busy) {
                afterRun.busy(busy, next);
            } catch (RuntimeException e) {
                afterRun.failed(e, next);
            }
            while (!stopNow.getAsBoolean()) {
                Duration left = Duration.between(clock.instant(), next);
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

    /** The candidates of a run with these settings: archived before {@code cutoff}, oldest first. */
    private static TaskQuery.Builder selectionOf(CleanupSettings settings, Instant cutoff) {
        Set<TaskStatus> statuses = settings.forceDelete()
                ? EnumSet.of(TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED)
                : EnumSet.of(TaskStatus.CREATED);
        TimeCondition older = new TimeCondition(TimeCondition.Op.LT, cutoff);
        // a task on hold is never a candidate; its mark would refuse it anyway (a hold added since)
        TaskQuery.Builder q = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED, "-" + Task.HOLD)).statuses(statuses)
                .projects(settings.projects()).pageSize(settings.pageSize());
        if (settings.ageBasis() == AgeBasis.ARCHIVED_AT) {
            q.archivedAt(List.of(older)).orderBy(List.of(new Order(TaskField.ARCHIVED_AT, false)));
        } else {
            q.statusChanged(List.of(older)).orderBy(List.of(new Order(TaskField.STATUS_CHANGED, false)));
        }
        return q;
    }

    /**
     * How long the oldest task these settings make eligible for deletion has been waiting: zero when
     * none waits. A growing lag means runs are too rare or too slow, or failing.
     */
    public Duration lag(CleanupSettings settings) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.threshold());
        List<Task> oldest = catalog.query(selectionOf(settings, cutoff).pageSize(1).build()).items();
        if (oldest.isEmpty()) {
            return Duration.ZERO;
        }
        Instant basis = settings.ageBasis().of(oldest.get(0));
        return basis == null ? Duration.ZERO : Duration.between(basis, cutoff);
    }

    /** The run history, newest first. */
    public List<CleanupRun> history(int limit) {
        return history.cleanupRuns(limit);
    }

    /**
     * A page of the run history, newest first: at most {@code limit} runs after run {@code afterRunId}
     * (the last of the page before; null for the first page). Empty after the oldest run, or when
     * no run has that id.
     */
    public List<CleanupRun> history(String afterRunId, int limit) {
        return history.cleanupRuns(afterRunId, limit);
    }

    /**
     * A marked page whose objects are being purged in the background: its tasks in order, with the
     * keep_last reason of each one kept (null for those marked).
     */
    private record InFlight(Future<List<DeletionReport>> reports, List<Task> page, List<String> keptLast,
                            List<String> rules) {
    }

    /** One pass over the candidates. */
    private final class Pass {
        private final CleanupSettings settings;
        private final String serviceTaskId;
        private final String holder;
        private final CleanupListener listener;
        private final BooleanSupplier stop;
        /** A dry run's earlier pages, as far as later pages can see them. */
        private SimulatedDeletions simulated = SimulatedDeletions.NONE;
        private final LeaseKeeper lease;
        private final Map<String, Set<String>> keptByProject = new HashMap<>();
        private final List<CleanupRun.Item> items = new ArrayList<>();
        private final ExecutorService purger;
        /** Pages being purged and finished, oldest first; at most {@code parallelism} of them. */
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private final RunOrigin origin;
        /** Zero for a run; for a forecast, how much later than now the run is imagined to start. */
        private final Duration lookAhead;
        private String runId;
        /** The named rules of this run; null without any. */
        private RulePasses rules;
        /** True while the named rules mark: their own bookkeeping, not the default rule's. */
        private boolean inRules;
        /** Outcomes recorded since {@link #deleteNow} began, in order. */
        private final List<CleanupRun.Outcome> recorded = new ArrayList<>();
        private long candidates;
        private long deleted;
        private long skipped;
        private long failed;
        private long objects;
        private long bytes;

        Pass(CleanupSettings settings, RunOrigin origin, String serviceTaskId, String holder, LeaseKeeper lease,
             CleanupListener listener, BooleanSupplier stop, Duration lookAhead) {
            this.settings = settings;
            this.origin = origin;
            this.lookAhead = lookAhead;
            this.lease = lease;
            this.stop = stop;
            this.serviceTaskId = serviceTaskId;
            this.holder = holder;
            this.listener = listener;
            this.purger = Executors.newFixedThreadPool(settings.parallelism(), r -> {
                Thread t = new Thread(r, "reclaim-cleanup-purge");
                t.setDaemon(true);
                return t;
            });
        }

        /** @param resumed the deletions earlier runs left unfinished that this run finished before it began */
        CleanupRun run(ResumedDeletions resumed) {
            Instant startedAt = clock.instant();
            runId = Ids.next(startedAt);
            listener.runStarted(runId);
            Instant cutoff = startedAt.plus(lookAhead).minus(settings.threshold());
            if (!settings.rules().isEmpty()) {
                rules = new RulePasses(settings, catalog, records, retention, usage, startedAt.plus(lookAhead), runId);
            }
            TaskQuery.Builder q = selection(cutoff);
            String cursor = null;
            boolean stoppedEarly = false;
            try {
                do {
                    Page<Task> page = catalog.query(q.cursor(cursor).build());
                    listener.candidatesSelected(page.items().size());
                    candidates += page.items().size();
                    handlePage(page.items(), startedAt.plus(lookAhead));
                    cursor = page.nextCursor();
                    lease.renewIfDue();
                    if (lease.lostBecause() != null) {
                        break; // pages already marked are still purged and finished below
                    }
                    if (cursor != null && stop.getAsBoolean()) {
                        stoppedEarly = true;
                        break;
                    }
                } while (cursor != null);
                collectInFlight();
                if (rules != null && !stoppedEarly && lease.lostBecause() == null) {
                    inRules = true;
                    rules.run(new RulePasses.Marker() {
                        @Override
                        public List<CleanupRun.Outcome> delete(List<Task> tasks, List<DeletionMark> marks, List<String> why) {
                            return deleteNow(tasks, marks, why);
                        }

                        @Override
                        public boolean stopped() {
                            return lease.lostBecause() != null || stop.getAsBoolean();
                        }
                    });
                    collectInFlight();
                    stoppedEarly = stop.getAsBoolean();
                }
            } finally {
                purger.shutdown();
            }
            return CleanupRun.builder(runId, startedAt).serviceTask(serviceTaskId).holder(holder)
                    .startedBy(origin.trigger().label(), origin.startedBy())
                    .endedAt(clock.instant()).dryRun(settings.dryRun()).settings(settings.toMap())
                    .candidates(candidates).deleted(deleted).skipped(skipped).failed(failed).freed(objects, bytes)
                    .items(items, candidates > items.size()).stoppedEarly(stoppedEarly).leaseLost(lease.lostBecause())
                    .resumed(resumed).build();
        }

        private TaskQuery.Builder selection(Instant cutoff) {
            return selectionOf(settings, cutoff);
        }

        /**
         * Deletes one page of candidates with the batched protocol. Failures stay per task: if
         * the batch as a whole fails, each task is tried on its own.
         */
        private void handlePage(List<Task> page, Instant now) {
            List<DeletionMark> marks = new ArrayList<>();
            List<String> rules = new ArrayList<>();
            // recorded with the page's other outcomes, so the report lists the tasks in their order
            List<String> keptLast = new ArrayList<>();
            Map<String, String> keptByRules = this.rules == null ? Map.of() : this.rules.keptWhole(page);
            List<Task> toMark = new ArrayList<>();
            for (Task t : page) {
                boolean keep = settings.keepLast() > 0 && kept(t.project()).contains(t.id());
                String why = keep ? "keep_last: one of the newest " + settings.keepLast() + " archived tasks of project "
                        + t.project() : keptByRules.get(t.id());
                keptLast.add(why);
                if (why != null) {
                    continue;
                }
                toMark.add(t);
                String rule = rule(t, now);
                rules.add(rule);
                marks.add(DeletionMark.wholeTask(t.id(), t.version()).refusingPublished(!settings.forceDelete()).inRun(runId)
                        .because("cleanup service: " + rule, ACTOR, clock.instant()));
            }
            if (this.rules != null) {
                this.rules.willMarkTasks(toMark);
            }
            if (settings.dryRun()) {
                preview(page, keptLast, marks, rules);
                return;
            }
            List<MarkResult> marked;
            lease.renewIfDue();
            if (lease.lostBecause() != null) {
                recordAll(page, keptLast, List.of(), rules);
                return;
            }
            try {
                marked = deleter.markAll(marks, lease.fence());
            } catch (LeaseLostException lost) {
                lease.lost(lost.getMessage());
                recordAll(page, keptLast, List.of(), rules);
                return;
            } catch (RuntimeException batchFailed) {
                recordAll(page, keptLast, deleteOneByOne(marks), rules);
                return;
            }
            // Purge and finish this page in the background while the next page is selected and
            // marked, so storage and database work overlap. With two or more pages in flight one
            // page's objects are being deleted while another's records are finished: the store's
            // single writer and the disk are then busy at the same time.
            purgeInBackground(page, keptLast, marks, marked, rules);
        }

        /**
         * A batch whose marking failed as a whole: the pages in flight are finished first, then each
         * mark is made and deleted on its own, so one bad task fails alone; stops at a lost lease.
         */
        private List<DeletionReport> deleteOneByOne(List<DeletionMark> marks) {
            collectInFlight();
            List<DeletionReport> one = new ArrayList<>();
            for (DeletionMark m : marks) {
                try {
                    one.add(deleteAlone(m));
                } catch (LeaseLostException lost) {
                    lease.lost(lost.getMessage());
                    break;
                }
            }
            return one;
        }

        /** Purges and finishes a marked page in the background, at most {@code parallelism} pages at once. */
        private void purgeInBackground(List<Task> page, List<String> keptLast, List<DeletionMark> marks,
                                       List<MarkResult> marked, List<String> rules) {
            if (inFlight.size() >= settings.parallelism()) {
                collectOldest();
            }
            Future<List<DeletionReport>> purging = purger.submit(() -> {
                try {
                    return deleter.completeAll(marks, marked, DeletionListener.NONE);
                } catch (RuntimeException e) {
                    List<DeletionReport> resumed = new ArrayList<>();
                    for (DeletionMark m : marks) {
                        resumed.add(resumeAlone(m, e));
                    }
                    return resumed;
                }
            });
            inFlight.add(new InFlight(purging, page, keptLast, rules));
        }

        /**
         * Deletes (a dry run previews) the named rules' marks now, in order, and records an item for
         * each: synchronously, as a later rule must see what an earlier one deleted.
         */
        private List<CleanupRun.Outcome> deleteNow(List<Task> tasks, List<DeletionMark> marks, List<String> why) {
            List<String> none = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), (String) null));
            recorded.clear();
            listener.candidatesSelected(tasks.size());
            candidates += tasks.size();
            if (settings.dryRun()) {
                preview(tasks, none, marks, why);
                return List.copyOf(recorded);
            }
            // a task with a deletion still in flight is finished first: two artifacts-only deletions of
            // one task must not overlap, or the first would finish while the second's objects are queued
            Set<String> ids = new HashSet<>();
            tasks.forEach(t -> ids.add(t.id()));
            if (inFlight.stream().anyMatch(f -> f.page().stream().anyMatch(t -> ids.contains(t.id())))) {
                collectInFlight();
                recorded.clear();
            }
            lease.renewIfDue();
            if (lease.lostBecause() != null) {
                recordAll(tasks, none, List.of(), why);
                return List.copyOf(recorded);
            }
            List<MarkResult> marked;
            try {
                marked = deleter.markAll(marks, lease.fence());
            } catch (LeaseLostException lost) {
                lease.lost(lost.getMessage());
                recordAll(tasks, none, List.of(), why);
                return List.copyOf(recorded);
            } catch (RuntimeException batchFailed) {
                List<DeletionReport> one = deleteOneByOne(marks);
                recorded.clear(); // the pages collected first are not this batch's
                recordAll(tasks, none, one, why);
                return List.copyOf(recorded);
            }
            // Marked is past the point of no return (the purge only finishes it), which is all a later
            // rule needs to know: the objects are purged and the records finished in the background,
            // overlapping the next rule's marks, as the default rule's pages are.
            List<CleanupRun.Outcome> outcomes = marked.stream().map(m -> m.outcome() == MarkResult.Outcome.MARKED
                    ? CleanupRun.Outcome.DELETED : CleanupRun.Outcome.SKIPPED).toList();
            purgeInBackground(tasks, none, marks, marked, why);
            return outcomes;
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
            } catch (ExecutionException e) {
                throw new dev.reclaim.ReclaimException("a batch failed: " + Problems.describe(e.getCause()), e.getCause());
            }
            inFlight.remove();
            recordAll(page.page(), page.keptLast(), reports, page.rules());
        }

        /**
         * Records a page's outcomes in its order: the tasks kept by keep_last, a report for each
         * other one, and the tasks after the last report as not marked (the run lost its lease).
         */
        private void recordAll(List<Task> page, List<String> keptLast, List<DeletionReport> reports, List<String> rules) {
            int marked = 0;
            for (int i = 0; i < page.size(); i++) {
                if (keptLast.get(i) != null) {
                    add(page.get(i), CleanupRun.Outcome.SKIPPED, keptLast.get(i), 0, 0);
                } else if (marked < reports.size()) {
                    record(page.get(i), reports.get(marked), rules.get(marked));
                    marked++;
                } else {
                    notMarked(page.get(i));
                }
            }
        }

        /**
         * A task of a page this run did not mark because it lost its lease: skipped, saying why. The
         * fence that refused the marks wrote nothing; a run that holds the lease deletes it.
         */
        private void notMarked(Task t) {
            add(t, CleanupRun.Outcome.SKIPPED, "not marked: this run lost its cleanup lease (" + lease.lostBecause()
                    + "); the run that holds it deletes it", 0, 0);
        }

        /** Marks (fenced) and deletes one task of a page whose batch failed. */
        private DeletionReport deleteAlone(DeletionMark m) {
            try {
                return deleter.delete(m, lease.fence(), DeletionListener.NONE);
            } catch (LeaseLostException lost) {
                throw lost;
            } catch (RuntimeException e) {
                return new DeletionReport(m.taskId(), DeletionReport.Outcome.INCOMPLETE, "deletion failed: " + Problems.describe(e),
                        0, 0, 0, List.of(), 0, List.of());
            }
        }

        private DeletionReport resumeAlone(DeletionMark m, RuntimeException batchError) {
            try {
                return deleter.resumeTask(m.taskId(), DeletionListener.NONE);
            } catch (RuntimeException e) {
                return new DeletionReport(m.taskId(), DeletionReport.Outcome.INCOMPLETE, "deletion failed: "
                        + batchError.getMessage() + "; it resumes on the next run", 0, 0, 0, List.of(), 0, List.of());
            }
        }

        /**
         * Previews a page as the run marks it, after what the dry run's earlier pages would have
         * done ({@link #simulated}), so the list, objects and bytes are the run's.
         */
        private void preview(List<Task> page, List<String> keptLast, List<DeletionMark> marks, List<String> rules) {
            List<MarkResult> previews = null;
            String failure = null;
            try {
                DeletionPreview p = queue.previewAllDeletions(marks, simulated);
                simulated = p.simulated();
                previews = p.results();
            } catch (RuntimeException e) {
                failure = "preview failed: " + Problems.describe(e);
            }
            int marked = 0;
            for (int i = 0; i < page.size(); i++) {
                Task t = page.get(i);
                if (keptLast.get(i) != null) {
                    add(t, CleanupRun.Outcome.SKIPPED, keptLast.get(i), 0, 0);
                    continue;
                }
                String rule = rules.get(marked);
                MarkResult preview = previews == null ? null : previews.get(marked);
                marked++;
                if (preview == null) {
                    add(t, CleanupRun.Outcome.FAILED, failure, 0, 0);
                } else if (preview.outcome() == MarkResult.Outcome.MARKED) {
                    // the run counts only objects that exist when it deletes them (a dangling record,
                    // an upload that stored nothing yet free nothing), and nothing else deletes them first
                    long n = 0;
                    long b = 0;
                    for (Map.Entry<String, Long> q : preview.queued().entrySet()) {
                        if (artifacts.stat(q.getKey()).isPresent()) {
                            n++;
                            b += q.getValue();
                        }
                    }
                    deleted++;
                    objects += n;
                    bytes += b;
                    add(t, CleanupRun.Outcome.WOULD_DELETE, rule, n, b);
                } else {
                    add(t, CleanupRun.Outcome.SKIPPED, skipReason(preview.outcome(), preview.reason()), 0, 0);
                }
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
            return basis == null ? null : Duration.between(basis.plus(settings.threshold()), clock.instant());
        }

        private Set<String> kept(String project) {
            return keptByProject.computeIfAbsent(project, p -> {
                TaskQuery newest = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED)).projects(List.of(p))
                        .orderBy(List.of(new Order(TaskField.CREATED, true))).pageSize(Math.min(500, settings.keepLast()))
                        .build();
                Set<String> ids = new HashSet<>();
                String cursor = null;
                do {
                    Page<Task> page = catalog.query(newest.toBuilder().cursor(cursor).build());
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
            if (inRules) {
                recorded.add(outcome);
            } else if (rules != null) {
                rules.outcome(t, outcome);
            }
            if (!settings.dryRun()) {
                // how long since eligible is the default rule's measure; a named rule has its own clock
                metrics.taskDone(item, outcome == CleanupRun.Outcome.DELETED && !inRules ? sinceEligible(t) : null);
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
