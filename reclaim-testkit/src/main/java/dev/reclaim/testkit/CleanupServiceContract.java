package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.cleanup.AgeBasis;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.Forecast;
import dev.reclaim.cleanup.RunOrigin;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.tasks.NewTask;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The Cleanup Service contract (docs/rules.md section 4), run against every pair of backends. */
public abstract class CleanupServiceContract extends ReclaimContract {

    protected CleanupRun run(CleanupSettings s) {
        return reclaim.cleanup().runOnce(s, null, CleanupListener.NONE);
    }

    protected boolean exists(Task t) {
        return tasks.findTask(t.id()).isPresent();
    }

    @Test
    void onlyTasksArchivedLongerAgoThanTheThresholdAreDeleted() throws Exception {
        Task old = archivedTask("old", null, TaskStatus.CREATED, 31, 10);
        Task young = archivedTask("young", null, TaskStatus.CREATED, 29, 10);
        CleanupRun r = run(CleanupSettings.defaults());
        assertThat(exists(old)).isFalse();
        assertThat(exists(young)).isTrue();
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(10);
    }

    @Test
    void aRunLeavesThePlannerWithStatisticsOfTheCatalogAsItNowIs() throws Exception {
        archivedTask("old", null, TaskStatus.CREATED, 31, 10);
        run(CleanupSettings.defaults());
        assertThat(tasks.hasStatistics()).isTrue();
    }

    @Test
    void fractionalThresholdsWork() throws Exception {
        Task t = archivedTask("half", null, TaskStatus.CREATED, 0.6, 1);
        run(CleanupSettings.builder().deleteThresholdDays(0.5).build());
        assertThat(exists(t)).isFalse();
    }

    @Test
    void unarchivedTasksAreNeverDeleted() throws Exception {
        Task t = archivedTask("a", null, TaskStatus.CREATED, 40, 1);
        reclaim.tasks().unarchive(List.of(t.id()));
        run(CleanupSettings.defaults());
        assertThat(exists(t)).isTrue();
    }

    @Test
    void withoutForceDeleteOnlyDraftsAreDeleted() throws Exception {
        Task draft = archivedTask("draft", null, TaskStatus.CREATED, 40, 1);
        Task completed = archivedTask("done", null, TaskStatus.COMPLETED, 40, 1);
        Task failed = archivedTask("failed", null, TaskStatus.FAILED, 40, 1);
        run(CleanupSettings.defaults());
        assertThat(exists(draft)).isFalse();
        assertThat(exists(completed)).isTrue();
        assertThat(exists(failed)).isTrue();
    }

    @Test
    void forceDeleteDeletesArchivedTasksOfAnyStatusButPublished() throws Exception {
        Task completed = archivedTask("done", null, TaskStatus.COMPLETED, 40, 1);
        Task canceled = archivedTask("canceled", null, TaskStatus.CANCELED, 40, 1);
        Task published = archivedTask("published", null, TaskStatus.PUBLISHED, 40, 1);
        run(CleanupSettings.builder().forceDelete(true).build());
        assertThat(exists(completed)).isFalse();
        assertThat(exists(canceled)).isFalse();
        assertThat(exists(published)).isTrue();
    }

    @Test
    void theAgeBasisCanBeTheStatusChangeTime() throws Exception {
        Task t = archivedTask("a", null, TaskStatus.CREATED, 1, 1);
        // its status changed 1 day ago too, so neither basis selects it at 30 days; at 0.5 days both do
        run(CleanupSettings.builder().ageBasis(AgeBasis.STATUS_CHANGED).build());
        assertThat(exists(t)).isTrue();
        run(CleanupSettings.builder().ageBasis(AgeBasis.STATUS_CHANGED).deleteThresholdDays(0.5).build());
        assertThat(exists(t)).isFalse();
    }

    @Test
    void theProjectFilterLimitsTheRun() throws Exception {
        Task a = archivedTask("a", "alpha", TaskStatus.CREATED, 40, 1);
        Task b = archivedTask("b", "beta", TaskStatus.CREATED, 40, 1);
        run(CleanupSettings.builder().projects(Set.of("alpha")).build());
        assertThat(exists(a)).isFalse();
        assertThat(exists(b)).isTrue();
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 3})
    void everyPageIsDeletedAndReportedOnceWhateverThePagesInFlight(int parallelism) throws Exception {
        List<Task> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMinutes(1));
            created.add(archivedTask("t" + i, "p", TaskStatus.CREATED, 40, 2));
        }
        CleanupRun r = run(CleanupSettings.builder().pageSize(2).parallelism(parallelism).build());
        assertThat(created).noneMatch(this::exists);
        assertThat(r.deleted()).isEqualTo(7);
        assertThat(r.objects()).isEqualTo(7);
        assertThat(r.bytes()).isEqualTo(14);
        assertThat(r.items()).extracting(CleanupRun.Item::taskId)
                .containsExactlyElementsOf(created.stream().map(Task::id).toList());
    }

    @Test
    void keepLastKeepsTheNewestArchivedTasksOfEachProject() throws Exception {
        List<Task> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            created.add(archivedTask("t" + i, "p", TaskStatus.CREATED, 40, 1));
        }
        CleanupRun r = run(CleanupSettings.builder().keepLast(2).build());
        assertThat(created.subList(0, 3)).noneMatch(this::exists);
        assertThat(created.subList(3, 5)).allMatch(this::exists);
        assertThat(r.items()).filteredOn(i -> i.outcome() == CleanupRun.Outcome.SKIPPED)
                .allSatisfy(i -> assertThat(i.rule()).contains("keep_last"));
    }

    @Test
    void aTaskUnarchivedBetweenSelectionAndDeletionSurvives() throws Exception {
        Task a = archivedTask("a", null, TaskStatus.CREATED, 40, 1);
        Task b = archivedTask("b", null, TaskStatus.CREATED, 40, 1);
        CleanupRun r = reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, new CleanupListener() {
            @Override
            public void candidatesSelected(int count) {
                if (count > 0) {
                    reclaim.tasks().unarchive(List.of(b.id()));
                }
            }
        });
        assertThat(exists(a)).isFalse();
        assertThat(exists(b)).isTrue();
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.items()).anySatisfy(i -> {
            assertThat(i.taskId()).isEqualTo(b.id());
            assertThat(i.rule()).contains("changed since it was selected");
        });
    }

    @Test
    void aTaskRestartedBetweenSelectionAndDeletionSurvives() throws Exception {
        Task a = archivedTask("a", null, TaskStatus.CREATED, 40, 1);
        reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, new CleanupListener() {
            @Override
            public void candidatesSelected(int count) {
                if (count > 0) {
                    reclaim.tasks().setStatus(a.id(), TaskStatus.COMPLETED);
                }
            }
        });
        assertThat(exists(a)).isTrue();
    }

    @Test
    void theDryRunListsExactlyWhatARealRunThenDeletesWithTheSameBytes() throws Exception {
        Task a = archivedTask("a", null, TaskStatus.CREATED, 40, 100);
        Task b = archivedTask("b", null, TaskStatus.CREATED, 35, 250);
        archivedTask("young", null, TaskStatus.CREATED, 1, 999);
        archivedTask("done", null, TaskStatus.COMPLETED, 40, 999);
        CleanupRun dry = run(CleanupSettings.builder().dryRun(true).build());
        assertThat(exists(a)).isTrue();
        assertThat(exists(b)).isTrue();
        CleanupRun real = run(CleanupSettings.defaults());
        assertThat(dry.items()).filteredOn(i -> i.outcome() == CleanupRun.Outcome.WOULD_DELETE)
                .extracting(CleanupRun.Item::taskId)
                .containsExactlyElementsOf(real.items().stream().filter(i -> i.outcome() == CleanupRun.Outcome.DELETED)
                        .map(CleanupRun.Item::taskId).toList());
        assertThat(dry.bytes()).isEqualTo(real.bytes()).isEqualTo(350);
        assertThat(dry.objects()).isEqualTo(real.objects());
        assertThat(dry.items()).allSatisfy(i -> assertThat(i.rule()).contains("archived"));
    }

    // ---- a model, its producer and its user; keys shared across pages; random catalogs --------

    /** A draft (or {@code status}) task archived now, a minute ago once the clock moves on. */
    private Task archivedNow(String name, TaskStatus status) {
        Task t = reclaim.tasks().create(new NewTask(name, null, null, status, Set.of(), null, Map.of()));
        reclaim.tasks().archive(List.of(t.id()));
        clock.advance(Duration.ofMinutes(1));
        return t;
    }

    /** A's 1,000-byte model is an input of B; both archived, the producer first unless {@code userFirst}. */
    private Artifact modelOfAUsedByB(TaskStatus status, boolean userFirst, List<Task> ab) throws Exception {
        Task a = reclaim.tasks().create(new NewTask("A", null, null, status, Set.of(), null, Map.of()));
        Artifact model = reclaim.tasks().addArtifact(a.id(), ArtifactKind.MODEL, "model.ckpt",
                Files.write(tmp.resolve("model.ckpt"), new byte[1000]));
        Task b = reclaim.tasks().create(new NewTask("B", null, null, status, Set.of(), null, Map.of()));
        reclaim.tasks().addInputModel(b.id(), model.id());
        for (Task t : userFirst ? List.of(b, a) : List.of(a, b)) {
            reclaim.tasks().archive(List.of(t.id()));
            clock.advance(Duration.ofMinutes(1));
        }
        ab.addAll(List.of(a, b));
        return model;
    }

    @ParameterizedTest(name = "the user archived first: {0}")
    @ValueSource(booleans = {false, true})
    void aModelWhoseProducerAndLastUserGoInOneRunIsDeletedByThatRun(boolean userFirst) throws Exception {
        List<Task> ab = new ArrayList<>();
        Artifact model = modelOfAUsedByB(TaskStatus.COMPLETED, userFirst, ab);

        CleanupRun r = run(CleanupSettings.builder().deleteThresholdDays(0).forceDelete(true).build());

        assertThat(ab).noneMatch(this::exists);
        assertThat(tasks.findArtifact(model.id())).as("the model's record").isEmpty();
        assertThat(artifacts.stat(model.storageKey())).as("the model's object").isEmpty();
        assertThat(r.objects()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(1000);
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @ParameterizedTest(name = "the user archived first: {0}")
    @ValueSource(booleans = {false, true})
    void theDryRunReportsTheModelItsProducerLeavesToItsLastUser(boolean userFirst) throws Exception {
        modelOfAUsedByB(TaskStatus.CREATED, userFirst, new ArrayList<>());
        CleanupSettings drafts = CleanupSettings.builder().deleteThresholdDays(0).build();

        CleanupRun dry = run(drafts.toBuilder().dryRun(true).build());
        CleanupRun real = run(drafts);

        assertThat(report(dry)).isEqualTo(report(real));
        assertThat(real.objects()).isEqualTo(1);
        assertThat(real.bytes()).isEqualTo(1000);
    }

    @Test
    void theDryRunCountsAnObjectTwoCandidatesOnDifferentPagesShareWithTheSecond() throws Exception {
        Task first = archivedNow("first", TaskStatus.CREATED);
        Artifact shared = reclaim.tasks().addArtifact(first.id(), ArtifactKind.ARTIFACT, "shared.bin",
                Files.write(tmp.resolve("shared.bin"), new byte[300]));
        Task second = archivedNow("second", TaskStatus.CREATED);
        tasks.insertArtifacts(List.of(new Artifact(Ids.next(clock.instant()),
                second.id(), ArtifactKind.ARTIFACT, "same.bin", shared.storageKey(), 300, clock.instant(), false,
                ArtifactState.LIVE)));
        CleanupSettings onePerPage = CleanupSettings.builder().deleteThresholdDays(0).pageSize(1).build();

        CleanupRun dry = run(onePerPage.toBuilder().dryRun(true).build());
        CleanupRun real = run(onePerPage);

        assertThat(report(dry)).isEqualTo(report(real));
        assertThat(real.items()).extracting(CleanupRun.Item::objects).containsExactly(0L, 1L);
    }

    @Test
    void theDryRunReportsWhatTheRunThenDoesForRandomCatalogs() {
        long base = Long.getLong("reclaim.dryrun.seed", 20_261_207L);
        int catalogs = Integer.getInteger("reclaim.dryrun.catalogs", 50);
        Set<String> dangling = new HashSet<>();
        for (int i = 0; i < catalogs; i++) {
            long seed = base + i;
            RandomCatalog catalog = new RandomCatalog(reclaim, clock, "c" + seed, seed);
            Random rnd = new Random(~seed);
            CleanupSettings s = CleanupSettings.builder().deleteThresholdDays(RandomCatalog.THRESHOLD_DAYS)
                    .projects(Set.of(catalog.project)).forceDelete(rnd.nextBoolean()).pageSize(1 + rnd.nextInt(4))
                    .parallelism(1 + rnd.nextInt(3)).keepLast(rnd.nextInt(5) == 0 ? 1 : 0).build();
            String what = "seed " + seed + ", settings " + s.toMap() + ", catalog:\n" + catalog;

            CleanupRun dry = run(s.toBuilder().dryRun(true).build());
            CleanupRun real = run(s);

            assertThat(report(dry)).as(what).isEqualTo(report(real));
            assertThat(real.failed()).as(what).isZero();
            dangling.addAll(catalog.danglingIds);
            consistentButForDanglingRecords(reclaim.fsck().check(), dangling, what);
        }
    }

    /** The records a catalog made dangling stay so until their task goes; anything else fsck finds is a fault. */
    private static void consistentButForDanglingRecords(FsckReport r, Set<String> made, String what) {
        assertThat(made).as(what).containsAll(r.dangling().stream().map(d -> d.split(" ", 2)[0]).toList());
        assertThat(r.orphanCount()).as(what).isZero();
        assertThat(r.stuckDeletions()).as(what).isEmpty();
        assertThat(r.failingQueue()).as(what).isEmpty();
        assertThat(r.detachedModels().unusedCount()).as(what).isZero();
        assertThat(r.writes().consistent()).as(what + "\n" + r.writes()).isTrue();
    }

    @ParameterizedTest(name = "its object stored: {0}")
    @ValueSource(booleans = {false, true})
    void theDryRunCountsWhatTheRunFreesWhenACandidateHasUploadsInProgressOrAbandoned(boolean stored) throws Exception {
        Task t = archivedTask("uploads", null, TaskStatus.CREATED, 40, 100);
        for (Duration age : List.of(Duration.ZERO, RandomCatalog.ABANDONED_AGO)) {
            Artifact pending = new Artifact(Ids.next(clock.instant()), t.id(), ArtifactKind.ARTIFACT, "up-" + age.toMinutes(),
                    "tasks/" + t.id() + "/artifacts/up-" + age.toMinutes(), 70, clock.instant().minus(age), false,
                    ArtifactState.PENDING);
            tasks.insertArtifacts(List.of(pending));
            if (stored) {
                artifacts.putBytes(pending.storageKey(), new byte[70]);
            }
        }

        CleanupRun dry = run(CleanupSettings.defaults().toBuilder().dryRun(true).build());
        CleanupRun real = run(CleanupSettings.defaults());

        assertThat(report(dry)).isEqualTo(report(real));
        assertThat(real.objects()).isEqualTo(stored ? 3 : 1);
        assertThat(real.bytes()).isEqualTo(stored ? 240 : 100);
    }

    @Test
    void theDryRunCountsNothingForALiveRecordWhoseObjectIsMissing() throws Exception {
        Task t = archivedTask("dangling", null, TaskStatus.CREATED, 40, 100);
        tasks.insertArtifacts(List.of(new Artifact(Ids.next(clock.instant()), t.id(), ArtifactKind.MODEL, "gone.ckpt",
                "tasks/" + t.id() + "/models/gone.ckpt", 5000, clock.instant(), false, ArtifactState.LIVE)));

        CleanupRun dry = run(CleanupSettings.defaults().toBuilder().dryRun(true).build());
        CleanupRun real = run(CleanupSettings.defaults());

        assertThat(report(dry)).isEqualTo(report(real));
        assertThat(real.objects()).isEqualTo(1);
        assertThat(real.bytes()).isEqualTo(100);
    }

    /** A run's report as a dry run would give it: every task in order with its outcome, objects and bytes, and the totals. */
    private static List<String> report(CleanupRun r) {
        List<String> lines = new ArrayList<>();
        for (CleanupRun.Item i : r.items()) {
            CleanupRun.Outcome o = i.outcome() == CleanupRun.Outcome.DELETED ? CleanupRun.Outcome.WOULD_DELETE : i.outcome();
            lines.add(i.taskId() + " " + o + " " + i.objects() + " object(s) " + i.bytes() + " B: " + i.rule());
        }
        lines.add("candidates " + r.candidates() + ", deleted " + r.deleted() + ", skipped " + r.skipped() + ", failed "
                + r.failed() + ", " + r.objects() + " object(s), " + r.bytes() + " B");
        return lines;
    }

    @Test
    void eachRunIsRecordedInTheHistory() throws Exception {
        archivedTask("a", null, TaskStatus.CREATED, 40, 7);
        CleanupRun r = run(CleanupSettings.defaults());
        List<CleanupRun> history = reclaim.cleanup().history(10);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).id()).isEqualTo(r.id());
        assertThat(history.get(0).bytes()).isEqualTo(7);
        assertThat(history.get(0).settings()).containsEntry(CleanupSettings.DELETE_THRESHOLD_DAYS, "30");
    }

    /** The history comes a page at a time, newest first, each page continuing after the last run of the one before. */
    @Test
    void theHistoryIsReadAPageAtATimeNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(run(CleanupSettings.defaults()).id());
            clock.advance(Duration.ofMinutes(1));
        }
        Collections.reverse(ids);
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 3; page++) {
            List<CleanupRun> runs = reclaim.cleanup().history(after, 2);
            assertThat(runs).hasSizeLessThanOrEqualTo(2);
            runs.forEach(r -> seen.add(r.id()));
            after = runs.isEmpty() ? after : runs.get(runs.size() - 1).id();
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(reclaim.cleanup().history(after, 2)).isEmpty();
        assertThat(reclaim.cleanup().history("0".repeat(28), 2)).as("after a run that does not exist").isEmpty();
    }

    @Test
    void aSecondRunWhileTheLeaseIsHeldIsRefusedAndSaysWhoHoldsIt() {
        Instant now = clock.instant();
        assertThat(tasks.tryAcquireLease(CleanupService.LEASE, "other-process", now, now.plusSeconds(60))).isTrue();
        assertThatThrownBy(() -> run(CleanupSettings.defaults()))
                .isInstanceOfSatisfying(CleanupBusyException.class, e -> assertThat(e.holder()).isEqualTo("other-process"))
                .hasMessageContaining("other-process");
    }

    @Test
    void aRunLongerThanItsLeaseKeepsTheLeaseUntilItEnds() throws Exception {
        for (int i = 0; i < 4; i++) {
            archivedTask("t" + i, null, TaskStatus.CREATED, 40, 1);
        }
        List<Boolean> othersRefused = new ArrayList<>();
        CleanupRun r = reclaim.cleanup().runOnce(CleanupSettings.builder().pageSize(1).build(), null, new CleanupListener() {
            @Override
            public void candidatesSelected(int count) {
                // each page takes 70 s: four pages outlast the two-minute lease taken at the start
                clock.advance(Duration.ofSeconds(70));
                Instant now = clock.instant();
                othersRefused.add(!tasks.tryAcquireLease(CleanupService.LEASE, "other-process", now, now.plusSeconds(60)));
            }
        });
        assertThat(r.deleted()).isEqualTo(4);
        assertThat(othersRefused).hasSizeGreaterThanOrEqualTo(4).containsOnly(true);
        Instant now = clock.instant();
        assertThat(tasks.tryAcquireLease(CleanupService.LEASE, "other-process", now, now.plusSeconds(60)))
                .as("the lease is free once the run ends").isTrue();
    }

    @Test
    void theLeaseIsRenewedOnATimerWhileAPageIsInProgressNotOnlyBetweenPages() throws Exception {
        archivedTask("a", null, TaskStatus.CREATED, 40, 1);
        Instant taken = clock.instant();
        List<Instant> renewedTo = new ArrayList<>();
        reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, new CleanupListener() {
            @Override
            public void candidatesSelected(int count) {
                if (count == 0) {
                    return;
                }
                // the page is in progress (this thread is inside it) when the renewal falls due
                clock.advance(Duration.ofSeconds(45));
                Instant leaseTime = taken.plus(Duration.ofMinutes(2));
                await().atMost(Duration.ofSeconds(20)).until(() -> tasks.lease(CleanupService.LEASE)
                        .map(LeaseInfo::expiresAt).filter(e -> e.isAfter(leaseTime)).isPresent());
                renewedTo.add(tasks.lease(CleanupService.LEASE).orElseThrow().expiresAt());
            }
        });
        assertThat(renewedTo).containsExactly(taken.plus(Duration.ofSeconds(45)).plus(Duration.ofMinutes(2)));
    }

    @Test
    void aRunThatLosesItsLeaseMidPageMarksNothingMoreAndSaysSo() throws Exception {
        List<Task> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            created.add(archivedTask("t" + i, "p", TaskStatus.CREATED, 40, 3));
        }
        AtomicInteger pages = new AtomicInteger();
        AtomicBoolean otherTookIt = new AtomicBoolean();
        CleanupRun r = reclaim.cleanup().runOnce(CleanupSettings.builder().pageSize(1).parallelism(1).build(), null,
                new CleanupListener() {
                    @Override
                    public void candidatesSelected(int count) {
                        if (pages.incrementAndGet() == 2) {
                            // this page outlasts the lease: it runs out, and another process takes it
                            clock.advance(Duration.ofMinutes(3));
                            Instant now = clock.instant();
                            otherTookIt.set(tasks.tryAcquireLease(CleanupService.LEASE, "other-process", now,
                                    now.plusSeconds(600)));
                        }
                    }
                });
        assertThat(otherTookIt).isTrue();
        assertThat(exists(created.get(0))).as("deleted while the run held its lease").isFalse();
        assertThat(created.subList(1, 4).stream().filter(this::exists).map(Task::id))
                .as("never marked after the lease was lost").containsExactlyElementsOf(created.subList(1, 4).stream()
                        .map(Task::id).toList());
        assertThat(tasks.unfinishedDeletions(10)).isEmpty();
        assertThat(tasks.pendingDeletes(10)).isEmpty();
        assertThat(tasks.lease(CleanupService.LEASE)).get().extracting(LeaseInfo::holder).isEqualTo("other-process");

        assertThat(r.lostLease()).isTrue();
        assertThat(r.leaseLost()).contains("other-process");
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(r.items()).filteredOn(i -> i.taskId().equals(created.get(1).id())).singleElement()
                .satisfies(i -> assertThat(i.rule()).contains("lost its cleanup lease"));
        assertThat(reclaim.cleanup().history(1)).singleElement()
                .satisfies(h -> assertThat(h.leaseLost()).isEqualTo(r.leaseLost()));
        assertThat(reclaim.meterRegistry().get("reclaim.cleanup.runs").tag("result", "lease_lost").tag("dry_run", "false")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void serviceModeRunsEveryPeriodUntilStopped() throws Exception {
        CleanupSettings s = CleanupSettings.builder().cleanupPeriodInDays(1).runAsService(true).build();
        List<Instant> starts = new ArrayList<>();
        List<Instant> nexts = new ArrayList<>();
        reclaim.cleanup().runAsService(s, null, CleanupListener.NONE, d -> clock.advance(d), (run, next) -> {
            starts.add(run.startedAt());
            nexts.add(next);
            if (starts.size() == 3) {
                reclaim.cleanup().requestStop();
            }
        });
        assertThat(starts).hasSize(3);
        assertThat(Duration.between(starts.get(0), starts.get(1))).isEqualTo(Duration.ofDays(1));
        assertThat(Duration.between(starts.get(1), starts.get(2))).isEqualTo(Duration.ofDays(1));
        assertThat(nexts.get(0)).isEqualTo(starts.get(1));
    }

    @Test
    void metricsCountTasksObjectsBytesRunsAndTheDelayFromEligibleToDeleted() throws Exception {
        MeterRegistry m = reclaim.meterRegistry();
        assertThat(m.get("reclaim.cleanup.tasks").tag("outcome", "deleted").counter().count())
                .as("registered before the first run").isZero();
        archivedTask("old", null, TaskStatus.CREATED, 32, 100);
        archivedTask("done", null, TaskStatus.COMPLETED, 40, 50);
        run(CleanupSettings.builder().dryRun(true).build());
        assertThat(m.get("reclaim.cleanup.tasks").tag("outcome", "deleted").counter().count())
                .as("a dry run frees nothing").isZero();
        assertThat(m.get("reclaim.cleanup.runs").tag("result", "completed").tag("dry_run", "true").counter().count()).isEqualTo(1);

        run(CleanupSettings.defaults());

        assertThat(m.get("reclaim.cleanup.tasks").tag("outcome", "deleted").counter().count()).isEqualTo(1);
        assertThat(m.get("reclaim.cleanup.objects.freed").counter().count()).isEqualTo(1);
        assertThat(m.get("reclaim.cleanup.bytes.freed").counter().count()).isEqualTo(100);
        assertThat(m.get("reclaim.cleanup.runs").tag("result", "completed").tag("dry_run", "false").counter().count()).isEqualTo(1);
        assertThat(m.get("reclaim.cleanup.run.duration").timer().count()).isEqualTo(2);
        Timer late = m.get("reclaim.cleanup.eligible.to.deleted").timer();
        assertThat(late.count()).isEqualTo(1);
        assertThat(late.totalTime(TimeUnit.HOURS)).as("archived 32 days ago, threshold 30")
                .isBetween(47.9, 48.1);

        Instant now = clock.instant();
        tasks.tryAcquireLease(CleanupService.LEASE, "other-process", now, now.plusSeconds(60));
        assertThatThrownBy(() -> run(CleanupSettings.defaults())).isInstanceOf(CleanupBusyException.class);
        assertThat(m.get("reclaim.cleanup.runs").tag("result", "busy").tag("dry_run", "false").counter().count()).isEqualTo(1);
    }

    @Test
    void badSettingsAreErrorsThatNameTheSetting() {
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("delete_threshold_days", "-1"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("delete_threshold_days");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("force_delete", "maybe"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("age_basis", "created"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("archived_at");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("page_size", "0"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("page_size");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("keep_last", "x"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("keep_last");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("cleanup_period_in_days", "0"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cleanup_period_in_days");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("delete_treshold_days", "1"), "test"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown setting");
    }

    @Test
    void settingsHaveTheSeedsDefaults() {
        CleanupSettings d = CleanupSettings.defaults();
        assertThat(d.deleteThresholdDays()).isEqualTo(30);
        assertThat(d.cleanupPeriodInDays()).isEqualTo(1);
        assertThat(d.forceDelete()).isFalse();
        assertThat(d.runAsService()).isFalse();
        assertThat(d.dryRun()).isFalse();
        assertThat(d.ageBasis()).isEqualTo(AgeBasis.ARCHIVED_AT);
    }

    @Test
    void aForecastSaysWhatRunsTodayAndLaterWouldFreePerProjectAndDeletesNothing() throws Exception {
        Task due = archivedTask("due", "vision", TaskStatus.CREATED, 31, 100);
        Task inAWeek = archivedTask("week", "vision", TaskStatus.CREATED, 25, 20);
        Task inAMonth = archivedTask("month", "nlp", TaskStatus.CREATED, 5, 3);
        Task notADraft = archivedTask("done", "nlp", TaskStatus.COMPLETED, 40, 1000);
        int historyBefore = reclaim.cleanup().history(10).size();

        Forecast f = reclaim.cleanup().forecast(CleanupSettings.defaults(), List.of(0, 7, 30));

        assertThat(f.horizons()).extracting(h -> h.days(), h -> h.tasks(), h -> h.bytes())
                .containsExactly(tuple(0, 1L, 100L),
                        tuple(7, 2L, 120L),
                        tuple(30, 3L, 123L));
        assertThat(f.horizons().get(2).projects()).extracting(p -> p.project(), p -> p.bytes())
                .containsExactly(tuple("vision", 120L),
                        tuple("nlp", 3L));
        assertThat(List.of(due, inAWeek, inAMonth, notADraft)).allMatch(this::exists);
        assertThat(reclaim.cleanup().history(10)).hasSize(historyBefore);
    }

    @Test
    void aForecastOfTodayIsWhatADryRunReports() throws Exception {
        archivedTask("a", "p", TaskStatus.CREATED, 31, 10);
        archivedTask("b", "q", TaskStatus.COMPLETED, 31, 20);
        CleanupSettings forced = CleanupSettings.builder().forceDelete(true).build();

        Forecast.Horizon today = reclaim.cleanup().forecast(forced, List.of(0)).horizons().get(0);
        CleanupRun dry = run(forced.toBuilder().dryRun(true).build());

        assertThat(today.tasks()).isEqualTo(dry.deleted());
        assertThat(today.objects()).isEqualTo(dry.objects());
        assertThat(today.bytes()).isEqualTo(dry.bytes());
    }

    @Test
    void aForecastFurtherThanTenYearsOrIntoThePastIsRefused() {
        assertThatThrownBy(() -> reclaim.cleanup().forecast(CleanupSettings.defaults(), List.of(-1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("0..3650");
    }

    @Test
    void aRunRecordsWhatStartedItAndWho() throws Exception {
        archivedTask("a", null, TaskStatus.CREATED, 31, 1);

        CleanupRun byApi = run(CleanupSettings.defaults());
        clock.advance(Duration.ofMinutes(1));
        CleanupRun byCli = reclaim.cleanup().runOnce(CleanupSettings.defaults(),
                new RunOrigin(RunOrigin.Trigger.CLI, "alice"), null,
                CleanupListener.NONE);

        assertThat(byApi.trigger()).isEqualTo("api");
        assertThat(byApi.startedBy()).isEqualTo(System.getProperty("user.name"));
        assertThat(reclaim.cleanup().history(1).get(0)).satisfies(r -> {
            assertThat(r.id()).isEqualTo(byCli.id());
            assertThat(r.trigger()).isEqualTo("cli");
            assertThat(r.startedBy()).isEqualTo("alice");
        });
        assertThat(reclaim.audit().deletedBy(byApi.id(), null, 10).items()).singleElement()
                .satisfies(l -> assertThat(l.runId()).isEqualTo(byApi.id()));
    }
}
