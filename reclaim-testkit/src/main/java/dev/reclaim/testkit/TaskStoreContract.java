package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.ApiToken;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.DeletedObjects;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DetachedModel;
import dev.reclaim.store.FinishResult;
import dev.reclaim.store.LeaseFence;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.LeaseLostException;
import dev.reclaim.store.MarkResult.Outcome;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.QueueClaim;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.WorkerInfo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@link TaskStore} contract: every backend's tiny subclass runs these tests against a fresh,
 * empty store. Times come from a {@link SettableClock}; nothing sleeps. The suite assumes nothing
 * about the database except that the store keeps instants to the millisecond.
 */
public abstract class TaskStoreContract {
    protected SettableClock clock;
    protected TestTasks a;
    protected TaskStore store;

    /** A fresh, empty store, used by one test and closed after it. */
    protected abstract TaskStore newStore();

    @BeforeEach
    void openStore() {
        clock = new SettableClock();
        a = new TestTasks(clock);
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    protected Task insert(Task.Builder b) {
        Task t = b.build();
        store.insertTask(t);
        return store.findTask(t.id()).orElseThrow();
    }

    protected Artifact add(Artifact artifact) {
        store.insertArtifacts(List.of(artifact));
        return artifact;
    }

    protected Task reload(Task t) {
        return store.findTask(t.id()).orElseThrow();
    }

    protected DeletionMark whole(Task t) {
        return new DeletionMark(t.id(), t.version(), true, true, false, "tested", "tester", clock.instant());
    }

    protected DeletionMark artifactsOnly(Task t) {
        return new DeletionMark(t.id(), t.version(), false, true, false, "job canceled", "tester", clock.instant());
    }

    /** Claims and completes every due queue entry of these tasks (null: all), as a purger would. */
    protected List<PendingDelete> purge(Collection<String> taskIds) {
        List<PendingDelete> all = new ArrayList<>();
        List<PendingDelete> batch;
        while (!(batch = store.claimPendingDeletes(taskIds, 100, clock.instant(), clock.instant().plusSeconds(60))).isEmpty()) {
            store.completePendingDeletes(batch.stream().map(PendingDelete::id).toList());
            all.addAll(batch);
        }
        return all;
    }

    /** Gives {@code t} the artifacts t/a (100 bytes) and t/b (23 bytes), marks it and claims both entries. */
    private List<PendingDelete> markedAndClaimed(Task t) {
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 23));
        store.markForDeletion(whole(t));
        return store.claimPendingDeletes(null, 10, clock.instant(), clock.instant().plusSeconds(60));
    }

    /** Mark, purge and finish a whole task; returns what finishing removed. */
    protected FinishResult deleteCompletely(Task t) {
        assertThat(store.markForDeletion(whole(reload(t))).outcome()).isEqualTo(Outcome.MARKED);
        purge(List.of(t.id()));
        return store.finishDeletion(t.id(), clock.instant()).orElseThrow();
    }

    protected List<String> ids(TaskQuery.Builder q) {
        return store.query(q.pageSize(TaskQuery.MAX_PAGE_SIZE).build()).items().stream().map(Task::id).toList();
    }

    protected static List<String> idsOf(Task... tasks) {
        return java.util.Arrays.stream(tasks).map(Task::id).toList();
    }

    private static TaskQuery.Builder q() {
        return TaskQuery.builder();
    }

    private static List<TimeCondition> when(String... conditions) {
        return java.util.Arrays.stream(conditions).map(c -> TimeCondition.parse("time", c)).toList();
    }

    private Instant ms(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

    // ---- tasks -------------------------------------------------------------------------------

    @Test
    void anInsertedTaskIsReadBackWithEveryFieldAndVersionZero() {
        Artifact model = add(a.aModel(insert(a.aTask("producer")).id(), "p/model.bin", 5));
        Instant t0 = clock.instant();
        Task full = a.aTask("full").project("vision").type("job").owner("bob").status(TaskStatus.FAILED)
                .tags(Set.of("b", "a")).systemTags(Set.of(Task.ARCHIVED)).startedAt(t0.plusSeconds(1)).endedAt(t0.plusSeconds(2))
                .statusChangedAt(t0.plusSeconds(3)).lastUpdateAt(t0.plusSeconds(4)).archivedAt(t0.plusSeconds(5))
                .resultsRetrievedAt(t0.plusSeconds(6)).parentId("some-parent").inputModels(List.of(model.id()))
                .queue("gpu").spec("{\"kind\":\"command\"}").submittedOptions(new JobOptions(false, null, true))
                .workerId("w1").leaseExpiresAt(t0.plusSeconds(7)).exitCode(3).error("boom")
                .params(Map.of("delete_threshold_days", "30", "dry_run", "false")).version(7).build();
        store.insertTask(full);

        assertThat(store.findTask(full.id())).contains(full.toBuilder().version(0).build());
    }

    @Test
    void insertingATaskWithAnExistingIdFails() {
        Task t = insert(a.aTask("first"));
        assertThatThrownBy(() -> store.insertTask(t.toBuilder().name("second").build())).isInstanceOf(StoreException.class);
        assertThat(reload(t).name()).isEqualTo("first");
    }

    @Test
    void findingAnUnknownTaskIsEmpty() {
        assertThat(store.findTask(a.nextId())).isEmpty();
    }

    @Test
    void instantsAreKeptToTheMillisecond() {
        Instant precise = Instant.parse("2026-03-01T10:00:00.123456789Z");
        Task t = insert(a.aTask("precise").archivedAt(precise).statusChangedAt(precise));
        assertThat(t.archivedAt()).isEqualTo(precise.truncatedTo(ChronoUnit.MILLIS));
        assertThat(t.statusChangedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
    }

    @Test
    void aTaskMayUseLiveModelsOfOtherTasksAsInput() {
        Task producer = insert(a.aTask("producer"));
        Artifact m1 = add(a.aModel(producer.id(), "p/m1", 1));
        Artifact m2 = add(a.aModel(producer.id(), "p/m2", 1));
        Task consumer = insert(a.aTask("consumer").inputModels(List.of(m2.id(), m1.id())));
        assertThat(consumer.inputModels()).containsExactly(m2.id(), m1.id());
    }

    @Test
    void anInputModelThatIsNotALiveModelIsRefusedAndNothingIsInserted() {
        Task producer = insert(a.aTask("producer"));
        Artifact notAModel = add(a.anArtifact(producer.id(), ArtifactKind.ARTIFACT, "p/file", 1));
        Artifact pending = add(a.aPendingArtifact(producer.id(), ArtifactKind.MODEL, "p/pending", 1));
        for (String input : List.of(a.nextId(), notAModel.id(), pending.id())) {
            Task t = a.aTask("consumer").inputModels(List.of(input)).build();
            assertThatThrownBy(() -> store.insertTask(t)).isInstanceOf(InvalidArgumentException.class).hasMessageContaining(input);
            assertThat(store.findTask(t.id())).isEmpty();
        }
    }

    @Test
    void aModelBeingDeletedCannotBecomeAnInput() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 1));
        store.markForDeletion(artifactsOnly(producer));
        assertThatThrownBy(() -> store.insertTask(a.aTask("consumer").inputModels(List.of(model.id())).build()))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void replaceTaskWritesEveryMutableFieldAndIncrementsTheVersion() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 1));
        Task t = insert(a.aTask("before").tags(Set.of("old")));
        Instant t0 = clock.instant();
        Task changed = t.toBuilder().name("after").project("other").type("job").owner("carol").status(TaskStatus.QUEUED)
                .tags(Set.of("new", "newer")).systemTags(Set.of(Task.ARCHIVED)).startedAt(t0).endedAt(t0.plusMillis(1))
                .statusChangedAt(t0.plusMillis(2)).lastUpdateAt(t0.plusMillis(3)).archivedAt(t0.plusMillis(4))
                .resultsRetrievedAt(t0.plusMillis(5)).parentId("p").inputModels(List.of(model.id())).queue("cpu")
                .spec("{}").submittedOptions(new JobOptions(true, false, null)).workerId("w").leaseExpiresAt(t0.plusMillis(6))
                .exitCode(1).error("e").params(Map.of("k", "v")).createdAt(t0.plusSeconds(99)).build();

        Optional<Task> stored = store.replaceTask(changed, t.version());

        Task expected = changed.toBuilder().createdAt(t.createdAt()).version(t.version() + 1).build();
        assertThat(stored).contains(expected);
        assertThat(reload(t)).isEqualTo(expected);
    }

    @Test
    void replaceTaskWithAStaleVersionChangesNothing() {
        Task t = insert(a.aTask("original"));
        Task v1 = store.replaceTask(t.toBuilder().name("first edit").build(), t.version()).orElseThrow();
        assertThat(store.replaceTask(t.toBuilder().name("lost edit").build(), t.version())).isEmpty();
        assertThat(reload(t)).isEqualTo(v1);
        assertThat(store.replaceTask(a.aTask("never inserted").build(), 0)).isEmpty();
    }

    @Test
    void replaceTaskOfATaskBeingDeletedChangesNothing() {
        Task t = insert(a.aTask("doomed"));
        store.markForDeletion(whole(t));
        Task marked = reload(t);
        assertThat(store.replaceTask(marked.toBuilder().name("revived").build(), marked.version())).isEmpty();
        assertThat(reload(t).name()).isEqualTo("doomed");
    }

    @Test
    void replaceTaskRefusesANewInputThatIsNotALiveModel() {
        Task t = insert(a.aTask("consumer"));
        assertThatThrownBy(() -> store.replaceTask(t.toBuilder().inputModels(List.of("no-such-model")).build(), t.version()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(reload(t)).isEqualTo(t);
    }

    // ---- queries -----------------------------------------------------------------------------

    @Test
    void queryFiltersByIdsProjectsStatusesTypesOwnersAndParent() {
        Task parent = insert(a.aTask("parent").project("p1").type("pipeline").owner("alice"));
        Task child = insert(a.aTask("child").project("p2").status(TaskStatus.COMPLETED).owner("bob").parentId(parent.id()));
        Task other = insert(a.aTask("other").project("p2").type("job").status(TaskStatus.FAILED).owner(null));

        assertThat(ids(q().ids(List.of(parent.id(), other.id())))).containsExactly(parent.id(), other.id());
        assertThat(ids(q().projects(List.of("p2")))).containsExactly(child.id(), other.id());
        assertThat(ids(q().statuses(List.of(TaskStatus.COMPLETED, TaskStatus.FAILED)))).containsExactly(child.id(), other.id());
        assertThat(ids(q().types(List.of("pipeline", "job")))).containsExactly(parent.id(), other.id());
        assertThat(ids(q().owners(List.of("bob")))).containsExactly(child.id());
        assertThat(ids(q().parentId(parent.id()))).containsExactly(child.id());
        assertThat(ids(q().projects(List.of("p2")).statuses(List.of(TaskStatus.FAILED)))).containsExactly(other.id());
        assertThat(ids(q())).containsExactly(parent.id(), child.id(), other.id());
    }

    @Test
    void aCatastrophicNamePatternOverThousandsOfLongNamesAnswersInBoundedTime() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // 'a' * 95 and digits: a backtracking engine tries every split of the a's before giving up on each
            tasks.add(a.aTask("a".repeat(95) + "-" + (1000 + i)).build());
        }
        Task match = a.aTask("a".repeat(40)).build();
        tasks.add(match);
        store.insertTasks(tasks);

        long start = System.nanoTime();
        assertThat(ids(q().namePattern("(.*a){20}$"))).containsExactly(match.id());
        assertThat(store.count(q().namePattern("(.*a){20}$").build())).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /** Names and patterns where engines disagree unless the store keeps to RE2's meaning. */
    private static final List<String> NAMES = List.of("train-run (1)", "Train_Run 2", "eval", "évaluation", "naïve-Bayes",
            "a{,5}", "x{2}", "xx", "ab.c", "abxc", "under_score", "MiXeD case", "日本語モデル", "model.ckpt", "a]b", "a-b",
            "back\\slash", "dollar$", "caret^x", "brace}", "a [bracket]", "ÉCOLE", "école", "v2.1.0", "AAA", "aaa",
            "\u212Aelvin", "в", "\u1C80", "\u0130stanbul", "straße", "STRA\u1E9ESE");
    private static final List<String> PATTERNS = List.of("rain", "^eval$", "(?i)TRAIN", "\\(1\\)", "\\d+", "^rain", "\\w+",
            "^\\w+$", "\\W", "\\bRun\\b", "\\Brun", "\\brun", "\\d\\z", "\\Aeval", "[[:alpha:]]+ation", "[[:upper:]][[:lower:]]",
            "[^[:ascii:]]", "[[:word:]]+$", "[\\d_]", "\\S+ \\S+", "\\s", "a{,5}", "x{2}", "x\\{2\\}", "a{2", "a{2}", "(?s)ab.c",
            "ab.c", "\\Qab.c\\E", "\\Qa{,5}", "\\x41", "\\x{65e5}", "\\141", "\\0141", "(?P<n>eval)", "(?<n>eval)",
            "(?:ev|tr)a", "a|", "é", "(?i)É", "(?i)école", "[a-c]{2}", "\\]", "a]b", "\\\\", "\\$", "\\^x", "}", "\\.ckpt$",
            "(?m)^eval$", "(?U)a+b", "a*?b", "^.$", "^...$", "[^a-z]", "[\\-]", "[a\\]]", "[]a]", "[^]a]", "(?i)[[:lower:]]{3}$",
            "(?i)^[A-Z]+$", "(?is)^A.a$", "[.]", "[[.]", "[\\x{65e5}-\\x{8a9e}]", "[^\\x00-\\x7f]", "(a|b)*c", "^(?:a{1,3}){2}$",
            "\\d{1,255}", "ab\\.c", "\\_score", "(?i)kelvin", "(?i)[k]elvin", "(?i)^\\w+$", "^\\w+$", "(?i)\\W", "(?i)в",
            "(?i)^i", "(?i)stra\u00DF", "(?i)[^a-z]", "(?i)[[:^alpha:]]", "[^\\D]", "[\\W]", "(?i)[^\\W]", "(?i)\\x{212a}");

    @Test
    void theNameFilterMatchesExactlyWhatRe2Matches() {
        Map<String, String> idByName = new java.util.LinkedHashMap<>();
        for (String name : NAMES) {
            idByName.put(name, insert(a.aTask(name)).id());
        }
        for (String pattern : PATTERNS) {
            com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(pattern);
            List<String> expected = NAMES.stream().filter(n -> re2.matcher(n).find()).map(idByName::get).toList();
            assertThat(ids(q().namePattern(pattern))).as("names matching %s", pattern).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void namePatternsBeyondTheSyntaxEveryEngineSharesAreRefusedSayingWhyAndWhatToWriteInstead() {
        insert(a.aTask("eval"));
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        reasons.put("\\pL", "Unicode character classes such as \\pL are not supported");
        reasons.put("[\\p{Greek}x]", "Unicode character classes such as \\p{Greek} are not supported");
        reasons.put("(?i:ev)al", "flags are supported only at the very start");
        reasons.put("ev(?i)al", "flags are supported only at the very start");
        reasons.put("(?-i)eval", "flags are supported only at the very start");
        reasons.put("a{256}", "at most 255 repetitions");
        reasons.put("a{1,300}", "at most 255 repetitions");
        reasons.put("[x\\D]", "a negated class inside brackets");
        reasons.put("[x[:^alpha:]]", "a negated class inside brackets");
        reasons.forEach((pattern, reason) -> assertThatThrownBy(() -> store.query(q().namePattern(pattern).build()))
                .as(pattern).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("name: '" + pattern + "' ").hasMessageContaining(reason));
    }

    @Test
    void aHealthyStoreHasNoIntegrityProblems() {
        insert(a.aTask("eval"));
        assertThat(store.integrityProblems()).isEmpty();
    }

    @Test
    void theNameFilterIsARegularExpressionThatMayMatchAnywhere() {
        Task training = insert(a.aTask("training-run (1)"));
        Task eval = insert(a.aTask("eval"));
        assertThat(ids(q().namePattern("rain"))).containsExactly(training.id());
        assertThat(ids(q().namePattern("^eval$"))).containsExactly(eval.id());
        assertThat(ids(q().namePattern("(?i)TRAINING"))).containsExactly(training.id());
        assertThat(ids(q().namePattern("\\(1\\)"))).containsExactly(training.id());
        assertThat(ids(q().namePattern("\\d+"))).containsExactly(training.id());
        assertThat(ids(q().namePattern("^rain"))).isEmpty();
    }

    @Test
    void plainTagsRequireAnyOfThemAndDashTagsExcludeAllOfThem() {
        Task x = insert(a.aTask("x").tags(Set.of("x")));
        Task y = insert(a.aTask("y").tags(Set.of("y")));
        Task xy = insert(a.aTask("xy").tags(Set.of("x", "y")));
        Task none = insert(a.aTask("none"));
        assertThat(ids(q().tags(List.of("x", "y")))).containsExactly(x.id(), y.id(), xy.id());
        assertThat(ids(q().tags(List.of("-x")))).containsExactly(y.id(), none.id());
        assertThat(ids(q().tags(List.of("-x", "-y")))).containsExactly(none.id());
        assertThat(ids(q().tags(List.of("x", "-y")))).containsExactly(x.id());
    }

    @Test
    void systemTagFiltersWorkLikeTagFiltersAndAreSeparateFromUserTags() {
        Task archived = insert(a.anArchivedTask("old", clock.instant()));
        Task userTagged = insert(a.aTask("user tag").tags(Set.of(Task.ARCHIVED)));
        assertThat(ids(q().systemTags(List.of(Task.ARCHIVED)))).containsExactly(archived.id());
        assertThat(ids(q().systemTags(List.of("-" + Task.ARCHIVED)))).containsExactly(userTagged.id());
        assertThat(ids(q().tags(List.of(Task.ARCHIVED)))).containsExactly(userTagged.id());
    }

    @Test
    void timeConditionsAreAndedAndATaskWithoutTheTimeMatchesNone() {
        Task early = insert(a.anArchivedTask("early", ms(1_000)).statusChangedAt(ms(1_000)));
        Task middle = insert(a.anArchivedTask("middle", ms(2_000)).statusChangedAt(ms(2_000)));
        Task late = insert(a.anArchivedTask("late", ms(3_000)).statusChangedAt(ms(3_000)));
        Task notArchived = insert(a.aTask("live").statusChangedAt(ms(2_000)));

        assertThat(ids(q().archivedAt(when(">=1", "<3")))).containsExactly(early.id(), middle.id());
        assertThat(ids(q().archivedAt(when(">1")))).containsExactly(middle.id(), late.id());
        assertThat(ids(q().archivedAt(when("<=2")))).containsExactly(early.id(), middle.id());
        assertThat(ids(q().archivedAt(when("1970-01-01T00:00:02Z")))).containsExactly(middle.id());
        assertThat(ids(q().statusChanged(when("2")))).containsExactly(middle.id(), notArchived.id());
        assertThat(ids(q().statusChanged(when(">1")).archivedAt(when("<3")))).containsExactly(middle.id());
        assertThat(ids(q().created(when("<=" + early.createdAt())))).containsExactly(early.id());
    }

    @Test
    void timeConditionsAgreeWithTheMillisecondsTheStoreKeeps() {
        Task t = insert(a.anArchivedTask("t", ms(2_000)));
        Instant justAfter = ms(2_000).plusNanos(500_000);
        assertThat(ids(q().archivedAt(List.of(new TimeCondition(TimeCondition.Op.GT, justAfter))))).isEmpty();
        assertThat(ids(q().archivedAt(List.of(new TimeCondition(TimeCondition.Op.LT, justAfter))))).containsExactly(t.id());
        assertThat(ids(q().archivedAt(List.of(new TimeCondition(TimeCondition.Op.EQ, justAfter))))).isEmpty();
        assertThat(ids(q().archivedAt(List.of(new TimeCondition(TimeCondition.Op.GE, ms(2_000).minusNanos(1)))))).containsExactly(t.id());
    }

    @Test
    void onlyJobsReturnsTasksThatWereSubmitted() {
        insert(a.aTask("catalog task"));
        Task job = insert(a.aQueuedJob("job", "q"));
        assertThat(ids(q().onlyJobs(true))).containsExactly(job.id());
    }

    @Test
    void tasksBeingDeletedAreHiddenUnlessAsked() {
        Task live = insert(a.aTask("live"));
        Task doomed = insert(a.aTask("doomed"));
        store.markForDeletion(whole(doomed));
        assertThat(ids(q())).containsExactly(live.id());
        assertThat(ids(q().includeDeleting(true))).containsExactly(live.id(), doomed.id());
        assertThat(store.count(q().build())).isEqualTo(1);
        assertThat(store.findTask(doomed.id())).get().extracting(Task::isLive).isEqualTo(false);
    }

    @Test
    void queriesReturnCompleteTasks() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/m", 1));
        Task t = insert(a.aTask("rich").tags(Set.of("a", "b")).systemTags(Set.of("s")).inputModels(List.of(model.id()))
                .params(Map.of("k", "v")));
        assertThat(store.query(q().ids(List.of(t.id())).build()).items()).containsExactly(t);
    }

    @Test
    void orderByAppliesKeysInOrderWithTheIdAsFinalTieBreaker() {
        Task b1 = insert(a.aTask("t").project("b"));
        Task a1 = insert(a.aTask("t").project("a"));
        Task b2 = insert(a.aTask("t").project("b"));
        Task a2 = insert(a.aTask("t").project("a"));
        assertThat(ids(q().orderBy(List.of(Order.parse("project"))))).containsExactly(a1.id(), a2.id(), b1.id(), b2.id());
        assertThat(ids(q().orderBy(List.of(Order.parse("name"), Order.parse("-project")))))
                .containsExactly(b2.id(), b1.id(), a2.id(), a1.id());
        assertThat(ids(q().orderBy(List.of(Order.parse("project"), Order.parse("-created")))))
                .containsExactly(a2.id(), a1.id(), b2.id(), b1.id());
    }

    @Test
    void aDescendingLastKeyBreaksTiesByDescendingId() {
        Task b1 = insert(a.aTask("t").project("b"));
        Task a1 = insert(a.aTask("t").project("a"));
        Task b2 = insert(a.aTask("t").project("b"));
        assertThat(ids(q().orderBy(List.of(Order.parse("-project"))))).containsExactly(b2.id(), b1.id(), a1.id());
        assertThat(ids(q().orderBy(List.of(Order.parse("-id"))))).containsExactly(b2.id(), a1.id(), b1.id());
    }

    @Test
    void tasksWithoutAValueSortFirstAscendingAndLastDescending() {
        Task late = insert(a.anArchivedTask("late", ms(3_000)));
        Task never1 = insert(a.aTask("never"));
        Task early = insert(a.anArchivedTask("early", ms(1_000)));
        Task never2 = insert(a.aTask("never"));
        assertThat(ids(q().orderBy(List.of(Order.parse("archived_at")))))
                .containsExactly(never1.id(), never2.id(), early.id(), late.id());
        assertThat(ids(q().orderBy(List.of(Order.parse("-archived_at")))))
                .containsExactly(late.id(), early.id(), never2.id(), never1.id());
    }

    @Test
    void offsetPagingReturnsThePageAskedFor() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(insert(a.aTask("t" + i)).id());
        }
        Function<Integer, Page<Task>> page = n -> store.query(q().page(n).pageSize(3).build());
        assertThat(page.apply(0).items()).extracting(Task::id).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(page.apply(1).items()).extracting(Task::id).containsExactlyElementsOf(all.subList(3, 6));
        assertThat(page.apply(2).items()).extracting(Task::id).containsExactlyElementsOf(all.subList(6, 7));
        assertThat(page.apply(2).nextCursor()).isNull();
        assertThat(page.apply(0).nextCursor()).isNotNull();
        assertThat(page.apply(5).items()).isEmpty();
    }

    @Test
    void keysetPagingVisitsEveryRowOnceInOrderAlsoOnNullableKeys() {
        for (int i = 0; i < 11; i++) {
            Task.Builder b = a.aTask("t" + (i % 3)).type(i % 4 == 0 ? null : "type" + (i % 2));
            insert(i % 3 == 0 ? b : b.systemTags(Set.of(Task.ARCHIVED)).archivedAt(ms(1_000L * (i % 4))));
        }
        for (String order : List.of("archived_at", "-archived_at", "type", "-type", "name", "-created", "-id")) {
            TaskQuery.Builder ordered = q().orderBy(List.of(Order.parse(order)));
            List<String> expected = ids(ordered);
            List<String> visited = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<Task> page = store.query(q().orderBy(List.of(Order.parse(order))).pageSize(2).cursor(cursor).build());
                page.items().forEach(t -> visited.add(t.id()));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null && pages < 100);
            assertThat(visited).as("keyset walk ordered by %s", order).containsExactlyElementsOf(expected).hasSize(11);
        }
    }

    @Test
    void keysetPagingDoesNotSkipRowsWhileRowsAreDeleted() {
        // the Cleanup Service deletes every row of a page before asking for the next one; offset
        // paging would then skip a page of eligible rows each time (the seed's bug)
        List<String> eligible = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            eligible.add(insert(a.anArchivedTask("old" + i, ms(1_000L * (12 - i))).project("cursor")).id());
            insert(a.anArchivedTask("offset" + i, ms(1_000L * (12 - i))).project("offset"));
        }
        Function<String, TaskQuery.Builder> oldest = project -> q().projects(List.of(project))
                .systemTags(List.of(Task.ARCHIVED)).orderBy(List.of(Order.parse("archived_at"))).pageSize(5);

        List<String> visited = new ArrayList<>();
        String cursor = null;
        do {
            Page<Task> page = store.query(oldest.apply("cursor").cursor(cursor).build());
            for (Task t : page.items()) {
                visited.add(t.id());
                deleteCompletely(t);
            }
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(visited).containsExactlyInAnyOrderElementsOf(eligible);
        assertThat(store.count(q().projects(List.of("cursor")).includeDeleting(true).build())).isZero();

        // the same walk by offset skips rows: this is what the cursor prevents
        int offsetVisited = 0;
        for (int page = 0; ; page++) {
            List<Task> items = store.query(oldest.apply("offset").page(page).build()).items();
            if (items.isEmpty()) {
                break;
            }
            offsetVisited += items.size();
            items.forEach(this::deleteCompletely);
        }
        assertThat(offsetVisited).isLessThan(12);
    }

    @Test
    void aCursorMadeForAnotherOrderingIsRefused() {
        for (int i = 0; i < 3; i++) {
            insert(a.aTask("t" + i));
        }
        String cursor = store.query(q().orderBy(List.of(Order.parse("created"))).pageSize(1).build()).nextCursor();
        assertThat(cursor).isNotNull();
        assertThatThrownBy(() -> store.query(q().orderBy(List.of(Order.parse("-created"))).cursor(cursor).pageSize(1).build()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.query(q().orderBy(List.of(Order.parse("name"))).cursor(cursor).pageSize(1).build()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(store.query(q().orderBy(List.of(Order.parse("created"))).cursor(cursor).pageSize(1).build()).items()).hasSize(1);
    }

    @Test
    void aMalformedCursorIsRefused() {
        insert(a.aTask("t"));
        String json = Base64.getUrlEncoder().encodeToString("{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("not a cursor!", json, "", "e30")) {
            assertThatThrownBy(() -> store.query(q().cursor(bad).build())).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void theNextCursorIsNullWhenNoRowsAreLeft() {
        for (int i = 0; i < 4; i++) {
            insert(a.aTask("t" + i));
        }
        assertThat(store.query(q().pageSize(4).build()).nextCursor()).isNull();
        Page<Task> first = store.query(q().pageSize(2).build());
        Page<Task> second = store.query(q().pageSize(2).cursor(first.nextCursor()).build());
        assertThat(second.items()).hasSize(2);
        assertThat(second.nextCursor()).isNull();
        assertThat(store.query(q().projects(List.of("nothing here")).build())).isEqualTo(new Page<>(List.of(), null));
    }

    @Test
    void countCountsEveryMatchingTaskWhateverThePaging() {
        for (int i = 0; i < 5; i++) {
            insert(a.aTask("t" + i).status(i < 3 ? TaskStatus.COMPLETED : TaskStatus.FAILED));
        }
        assertThat(store.count(q().pageSize(1).page(3).build())).isEqualTo(5);
        assertThat(store.count(q().statuses(List.of(TaskStatus.COMPLETED)).build())).isEqualTo(3);
    }

    // ---- jobs --------------------------------------------------------------------------------

    @Test
    void claimNextTakesTheOldestQueuedTaskOfTheGivenQueues() {
        Task elsewhere = insert(a.aQueuedJob("other queue", "q3"));
        Task first = insert(a.aQueuedJob("first", "q1"));
        insert(a.aTask("draft").queue("q1"));
        Task second = insert(a.aQueuedJob("second", "q2"));
        Instant now = clock.instant();
        Instant until = now.plusSeconds(30);

        Task claimed = store.claimNext(List.of("q1", "q2"), "w1", now, until).orElseThrow();

        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(claimed.workerId()).isEqualTo("w1");
        assertThat(claimed.startedAt()).isEqualTo(now);
        assertThat(claimed.statusChangedAt()).isEqualTo(now);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(until);
        assertThat(claimed.version()).isEqualTo(first.version() + 1);
        assertThat(store.claimNext(List.of("q1", "q2"), "w1", now, until)).get().extracting(Task::id).isEqualTo(second.id());
        assertThat(store.claimNext(List.of("q1", "q2"), "w1", now, until)).isEmpty();
        assertThat(store.claimNext(List.of(), "w1", now, until)).isEmpty();
        assertThat(reload(elsewhere).status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void aQueuedTaskBeingDeletedIsNotClaimed() {
        Task job = insert(a.aQueuedJob("doomed", "q"));
        store.markForDeletion(whole(job));
        assertThat(store.claimNext(List.of("q"), "w", clock.instant(), clock.instant().plusSeconds(30))).isEmpty();
    }

    @Test
    void concurrentClaimersNeverClaimATaskTwice() throws Exception {
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            insert(a.aQueuedJob("job" + i, i % 2 == 0 ? "even" : "odd"));
        }
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        Instant now = clock.instant();
        runConcurrently(8, worker -> () -> {
            Optional<Task> t;
            while ((t = store.claimNext(List.of("even", "odd"), "w" + worker, now, now.plusSeconds(60))).isPresent()) {
                claimed.add(t.get().id());
            }
            return null;
        });
        assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(store.count(q().statuses(List.of(TaskStatus.RUNNING)).build())).isEqualTo(jobs);
    }

    @Test
    void renewLeasesExtendsOnlyJobsStillRunningUnderTheWorker() {
        Instant now = clock.instant();
        for (int i = 0; i < 3; i++) {
            insert(a.aQueuedJob("job" + i, "q"));
        }
        Task mine = store.claimNext(List.of("q"), "w1", now, now.plusSeconds(10)).orElseThrow();
        Task theirs = store.claimNext(List.of("q"), "w2", now, now.plusSeconds(10)).orElseThrow();
        Task canceled = store.claimNext(List.of("q"), "w1", now, now.plusSeconds(10)).orElseThrow();
        store.replaceTask(canceled.withStatus(TaskStatus.CANCELED, now), canceled.version()).orElseThrow();
        Instant later = now.plusSeconds(60);

        Set<String> renewed = store.renewLeases("w1", List.of(mine.id(), theirs.id(), canceled.id(), "unknown"), later);

        assertThat(renewed).containsExactly(mine.id());
        assertThat(reload(mine).leaseExpiresAt()).isEqualTo(later);
        assertThat(reload(theirs).leaseExpiresAt()).isEqualTo(now.plusSeconds(10));
    }

    @Test
    void finishJobEndsTheJobAndMakesTheGivenPendingArtifactsLive() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact result = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));
        Artifact notGiven = add(a.aPendingArtifact(running.id(), ArtifactKind.ARTIFACT, "j/other", 10));
        Instant end = now.plusSeconds(5);

        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(result.id()), end)).isTrue();

        Task ended = reload(running);
        assertThat(ended.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(ended.endedAt()).isEqualTo(end);
        assertThat(ended.statusChangedAt()).isEqualTo(end);
        assertThat(ended.exitCode()).isZero();
        assertThat(ended.leaseExpiresAt()).isNull();
        assertThat(ended.version()).isGreaterThan(running.version());
        assertThat(store.findArtifact(result.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
        assertThat(store.findArtifact(notGiven.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.PENDING);
        assertThat(store.finishJob(running.id(), "w", TaskStatus.FAILED, 1, "again", List.of(), end)).isFalse();
        assertThat(reload(running).status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void finishJobChangesNothingForAnotherWorkerOrACanceledJob() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact out = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));

        assertThat(store.finishJob(running.id(), "intruder", TaskStatus.COMPLETED, 0, null, List.of(out.id()), now)).isFalse();
        store.replaceTask(running.withStatus(TaskStatus.CANCELED, now), running.version()).orElseThrow();
        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(out.id()), now)).isFalse();

        assertThat(reload(running).status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(store.findArtifact(out.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.PENDING);
    }

    @Test
    void aJobBeingDeletedCanNeitherRenewItsLeaseNorEnd() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact out = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));
        store.markForDeletion(whole(running));

        assertThat(store.renewLeases("w", List.of(running.id()), now.plusSeconds(60))).isEmpty();
        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(out.id()), now)).isFalse();
        assertThat(store.findArtifact(out.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
    }

    @Test
    void consoleChunksAreReadBackInOrder() {
        Task t = insert(a.aQueuedJob("job", "q"));
        Task quiet = insert(a.aTask("quiet"));
        store.appendConsole(t.id(), "one\n");
        store.appendConsole(t.id(), "two ");
        store.appendConsole(t.id(), "three\n");
        assertThat(store.readConsole(t.id())).isEqualTo("one\ntwo three\n");
        assertThat(store.readConsole(quiet.id())).isEmpty();
    }

    // ---- artifacts ---------------------------------------------------------------------------

    @Test
    void insertedArtifactsAreListedByIdInEveryState() {
        Task t = insert(a.aTask("t"));
        Artifact model = a.aModel(t.id(), "t/model", 1).withPublished(true);
        Artifact pending = a.aPendingArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "t/debug.png", 2);
        Artifact log = a.anArtifact(t.id(), ArtifactKind.LOG, "t/log.txt", 3);
        store.insertArtifacts(List.of(log, model, pending));
        assertThat(store.artifactsOf(t.id())).containsExactly(model, pending, log);
        assertThat(store.findArtifact(pending.id())).contains(pending);
        assertThat(store.findArtifact("unknown")).isEmpty();
        assertThat(store.artifactsOf(insert(a.aTask("empty")).id())).isEmpty();
    }

    @Test
    void liveArtifactsComeAPageAtATimeByIdWithoutPendingOnes() {
        Task t = insert(a.aTask("t"));
        Artifact pending = a.aPendingArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "t/pending.png", 2);
        List<Artifact> live = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            live.add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a" + i, 1));
        }
        List<Artifact> all = new java.util.ArrayList<>(live);
        all.add(pending);
        store.insertArtifacts(all);
        List<Artifact> byId = live.stream().sorted(java.util.Comparator.comparing(Artifact::id)).toList();

        assertThat(store.liveArtifactsOf(t.id(), null, 2)).containsExactlyElementsOf(byId.subList(0, 2));
        assertThat(store.liveArtifactsOf(t.id(), byId.get(1).id(), 2)).containsExactlyElementsOf(byId.subList(2, 4));
        assertThat(store.liveArtifactsOf(t.id(), byId.get(3).id(), 2)).containsExactly(byId.get(4));
        assertThat(store.liveArtifactsOf(t.id(), byId.get(4).id(), 2)).isEmpty();
        assertThat(store.liveArtifactsOf(insert(a.aTask("empty")).id(), null, 10)).isEmpty();
    }

    @Test
    void anArtifactForAMissingTaskIsRefusedAndNothingIsInserted() {
        Task t = insert(a.aTask("t"));
        Artifact fine = a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/fine", 1);
        Artifact orphan = a.anArtifact("no-such-task", ArtifactKind.ARTIFACT, "x/orphan", 1);
        assertThatThrownBy(() -> store.insertArtifacts(List.of(fine, orphan)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("no-such-task");
        assertThat(store.artifactsOf(t.id())).isEmpty();
    }

    @Test
    void anArtifactForATaskBeingDeletedIsRefused() {
        Task t = insert(a.aTask("t"));
        store.markForDeletion(whole(t));
        assertThatThrownBy(() -> add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/late", 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("being deleted");
    }

    @Test
    void anArtifactWhoseKeyIsQueuedForDeletionIsRefused() {
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "shared/key", 1));
        store.markForDeletion(whole(doomed));
        Task other = insert(a.aTask("other"));
        Artifact fine = a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "other/fine", 1);
        Artifact reuse = a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "shared/key", 1);
        assertThatThrownBy(() -> store.insertArtifacts(List.of(fine, reuse)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("shared/key");
        assertThat(store.artifactsOf(other.id())).isEmpty();
    }

    @Test
    void anArtifactWhoseKeyAWholeTaskEntryStandsForIsRefusedUntilTheEntryIsDone() {
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "doomed/key", 1));
        store.markAllForDeletion(List.of(whole(doomed)));
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey)
                .containsExactly(PendingDelete.wholeTaskKey(doomed.id()));
        Task other = insert(a.aTask("other"));

        assertThatThrownBy(() -> add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "doomed/key", 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("doomed/key")
                .hasMessageContaining("queued for deletion with its task");
        assertThat(store.artifactsOf(other.id())).isEmpty();
        // once the object is gone the key may be used again
        purge(List.of(doomed.id()));
        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "doomed/key", 1));
        assertThat(store.artifactsOf(other.id())).hasSize(1);
    }

    // ---- writes never replace stored bytes; what was stored is recorded -------------------------

    @Test
    void aPendingArtifactWhoseKeyALiveArtifactHasIsRefused() {
        Task t = insert(a.aTask("t"));
        Artifact live = add(a.aModel(t.id(), "t/models/best.ckpt", 10));
        Task other = insert(a.aTask("other"));

        assertThatThrownBy(() -> add(a.aPendingArtifact(other.id(), ArtifactKind.MODEL, "t/models/best.ckpt", 20)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("t/models/best.ckpt")
                .hasMessageContaining(live.id());
        assertThatThrownBy(() -> add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/models/best.ckpt", 20)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(store.artifactsOf(other.id())).isEmpty();
        assertThat(store.artifactsOf(t.id())).containsExactly(live);
    }

    @Test
    void aPendingArtifactWhoseKeyAnotherPendingArtifactHasIsRefusedInOneCallToo() {
        Task t = insert(a.aTask("t"));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        Artifact one = a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 1);
        Artifact two = a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 1);

        assertThatThrownBy(() -> add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("t/a");
        assertThatThrownBy(() -> store.insertArtifacts(List.of(one, two)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("t/b");
        assertThat(store.artifactsOf(t.id())).hasSize(1);
    }

    @Test
    void aLiveArtifactMayReferenceAKeyAnotherRecordHasDeliberately() {
        Task t = insert(a.aTask("t"));
        Task other = insert(a.aTask("other"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/shared", 3));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/uploading", 3));

        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "t/shared", 3));
        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "t/uploading", 3));

        assertThat(store.artifactsOf(other.id())).hasSize(2);
    }

    @Test
    void activatingArtifactsRecordsTheStoredSizeAndChecksum() {
        Task t = insert(a.aTask("t"));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/x", 5));
        String sha = Sha256.of("seven b".getBytes(StandardCharsets.UTF_8));

        assertThat(store.activateAdded(t.id(), pending.id(), new StoredObject(7, sha), List.of()))
                .isEqualTo(ArtifactCatalog.Activation.ACTIVATED);

        Artifact live = store.findArtifact(pending.id()).orElseThrow();
        assertThat(live.state()).isEqualTo(ArtifactState.LIVE);
        assertThat(live.sizeBytes()).isEqualTo(7);
        assertThat(live.sha256()).isEqualTo(sha);
        assertThat(store.activateAdded(t.id(), pending.id(), new StoredObject(9, sha), List.of()))
                .isEqualTo(ArtifactCatalog.Activation.NOT_PENDING);
        assertThat(store.findArtifact(pending.id()).orElseThrow().sizeBytes()).isEqualTo(7);
    }

    @Test
    void finishingAJobRecordsWhatWasStoredForItsOutputs() {
        insert(a.aQueuedJob("j", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact out = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));
        String sha = Sha256.of(new byte[12]);

        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null,
                Map.of(out.id(), new StoredObject(12, sha)), now)).isTrue();

        Artifact live = store.findArtifact(out.id()).orElseThrow();
        assertThat(live.state()).isEqualTo(ArtifactState.LIVE);
        assertThat(live.sizeBytes()).isEqualTo(12);
        assertThat(live.sha256()).isEqualTo(sha);
    }

    @Test
    void aChecksumGivenAtInsertIsKeptAndArtifactsWithoutOneReadBackWithNone() {
        Task t = insert(a.aTask("t"));
        String sha = Sha256.of(new byte[3]);
        Artifact with = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/with", 3).withContent(new StoredObject(3, sha)));
        Artifact without = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/without", 3));

        assertThat(store.findArtifact(with.id()).orElseThrow().sha256()).isEqualTo(sha);
        assertThat(store.findArtifact(without.id()).orElseThrow().sha256()).isNull();
        assertThat(store.liveArtifactsAfter(null, 10)).extracting(Artifact::sha256).containsExactly(sha, null);
    }

    @Test
    void pendingArtifactsRegisteredBeforeACutoffAreListedOldestFirst() {
        Task t = insert(a.aTask("t"));
        Artifact oldest = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/1", 1));
        Artifact older = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/2", 1));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/live", 1));
        Instant cutoff = clock.instant().plusMillis(1);
        clock.advance(Duration.ofMinutes(1));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/recent", 1));

        assertThat(store.pendingArtifactsBefore(cutoff, 10)).containsExactly(oldest, older);
        assertThat(store.pendingArtifactsBefore(cutoff, 1)).containsExactly(oldest);
    }

    @Test
    void droppingAPendingArtifactRemovesThatRecordOnlyAndQueuesNothing() {
        Task t = insert(a.aTask("t"));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/p", 1));
        Artifact live = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/l", 1));

        assertThat(store.dropPendingArtifact(live.id())).isFalse();
        assertThat(store.dropPendingArtifact(pending.id())).isTrue();
        assertThat(store.dropPendingArtifact(pending.id())).isFalse();

        assertThat(store.artifactsOf(t.id())).containsExactly(live);
        assertThat(store.pendingDeletes(10)).isEmpty();
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/p", 1)); // the key is free again
    }

    @Test
    void theLiveTasksUsingAModelAsInputAreListed() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 1));
        Task user = insert(a.aTask("user").inputModels(List.of(model.id())));
        Task gone = insert(a.aTask("gone").inputModels(List.of(model.id())));
        store.markForDeletion(whole(gone));

        assertThat(store.liveTasksUsingInput(model.id())).containsExactly(user.id());
        assertThat(store.liveTasksUsingInput("no-such-artifact")).isEmpty();
    }

    @Test
    void anArtifactsOnlyMarkOfChosenArtifactsMarksAndQueuesOnlyThem() {
        Task t = insert(a.aTask("t"));
        Artifact keep = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/keep", 5));
        Artifact keptModel = add(a.aModel(t.id(), "t/model", 6));
        Artifact gone = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/gone", 7));
        Artifact stale = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/stale", 8));

        MarkResult r = store.markForDeletion(DeletionMark.artifacts(t.id(), t.version(), Set.of(gone.id(), stale.id()),
                "superseded", "tester", clock.instant()));

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.queuedKeys()).containsExactlyInAnyOrder("t/gone", "t/stale");
        assertThat(r.queuedBytes()).isEqualTo(15);
        assertThat(r.keptModelIds()).isEmpty();
        purge(List.of(t.id()));
        assertThat(store.finishDeletion(t.id(), clock.instant())).hasValueSatisfying(f -> {
            assertThat(f.taskDeleted()).isFalse();
            assertThat(f.artifacts()).isEqualTo(2);
        });
        assertThat(store.artifactsOf(t.id())).containsExactly(keep, keptModel);
        assertThat(reload(t).isLive()).isTrue();
    }

    @Test
    void aChosenModelAnotherTaskUsesIsKeptAndDetachedByAnArtifactsOnlyMark() {
        Task t = insert(a.aTask("t"));
        Artifact used = add(a.aModel(t.id(), "t/used", 5));
        Artifact other = add(a.aModel(t.id(), "t/other", 6));
        insert(a.aTask("user").inputModels(List.of(used.id())));

        MarkResult r = store.markForDeletion(DeletionMark.artifacts(t.id(), reload(t).version(), Set.of(used.id()),
                "superseded", "tester", clock.instant()));

        assertThat(r.keptModelIds()).containsExactly(used.id());
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(used.id()).orElseThrow().state()).isEqualTo(ArtifactState.LIVE);
        assertThat(store.findArtifact(other.id()).orElseThrow().taskId()).isEqualTo(t.id());
    }

    @Test
    void finishingCountsOnlyTheObjectsRecordedAsExisting() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/never-written", 23));
        store.markForDeletion(whole(t));
        List<PendingDelete> claimed = store.claimPendingDeletes(null, 10, clock.instant(), clock.instant().plusSeconds(60));
        PendingDelete absent = claimed.stream().filter(p -> p.storageKey().equals("t/never-written")).findFirst().orElseThrow();

        store.recordDeletedObjects(List.of(new DeletedObjects(absent.id(), 0, 0)));
        store.completePendingDeletes(claimed.stream().map(PendingDelete::id).toList());

        assertThat(store.finishDeletion(t.id(), clock.instant())).hasValueSatisfying(f -> {
            assertThat(f.objects()).isEqualTo(1);
            assertThat(f.bytes()).isEqualTo(100);
        });
        assertThat(store.audit(1).get(0).objects()).isEqualTo(1);
        assertThat(store.audit(1).get(0).bytes()).isEqualTo(100);
    }

    @Test
    void anArtifactWithAnUnsafeStorageKeyIsRefused() {
        Task t = insert(a.aTask("t"));
        assertThatThrownBy(() -> add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "../outside", 1)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(store.artifactsOf(t.id())).isEmpty();
    }

    @Test
    void onlyLiveArtifactsCanBePublished() {
        Task t = insert(a.aTask("t"));
        Artifact live = add(a.aModel(t.id(), "t/live", 1));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/pending", 1));
        assertThat(store.setArtifactPublished(live.id(), true)).isTrue();
        assertThat(store.findArtifact(live.id())).get().extracting(Artifact::published).isEqualTo(true);
        assertThat(store.setArtifactPublished(live.id(), false)).isTrue();
        assertThat(store.findArtifact(live.id())).get().extracting(Artifact::published).isEqualTo(false);
        assertThat(store.setArtifactPublished(pending.id(), true)).isFalse();
        assertThat(store.setArtifactPublished("unknown", true)).isFalse();
    }

    @Test
    void publishingATaskPublishesItsLiveModelsWithItAndAStaleVersionChangesNeither() {
        Task t = insert(a.aTask("t").status(TaskStatus.COMPLETED));
        Artifact model = add(a.aModel(t.id(), "t/model", 1));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/pending", 1));
        Artifact other = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/other", 1));
        Task published = t.withStatus(TaskStatus.PUBLISHED, t.createdAt());

        assertThat(store.publishTask(published, t.version() + 1)).isEmpty();
        assertThat(store.findTask(t.id())).get().extracting(Task::status).isEqualTo(TaskStatus.COMPLETED);
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::published).isEqualTo(false);

        assertThat(store.publishTask(published, t.version())).get().extracting(Task::status).isEqualTo(TaskStatus.PUBLISHED);
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::published).isEqualTo(true);
        assertThat(store.findArtifact(pending.id())).get().extracting(Artifact::published).isEqualTo(false);
        assertThat(store.findArtifact(other.id())).get().extracting(Artifact::published).isEqualTo(false);
    }

    @Test
    void onlyLiveArtifactsCountAsReferences() {
        Task t = insert(a.aTask("t"));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "k/pending", 1));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "k/live", 1));
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "k/deleting", 1));
        store.markForDeletion(whole(doomed));
        assertThat(store.isReferencedByLiveArtifact("k/live")).isTrue();
        assertThat(store.isReferencedByLiveArtifact("k/pending")).isFalse();
        assertThat(store.isReferencedByLiveArtifact("k/deleting")).isFalse();
        assertThat(store.isReferencedByLiveArtifact("k/unknown")).isFalse();
    }

    @Test
    void liveBytesAddUpOnlyLiveArtifactsForEveryAskedTask() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.MODEL, "b/model", 100));
        add(a.anArtifact(t.id(), ArtifactKind.LOG, "b/log", 20));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "b/pending", 7));
        Task empty = insert(a.aTask("empty"));
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "b/deleting", 5));
        store.markForDeletion(whole(doomed));

        assertThat(store.liveBytesOf(List.of(t.id(), empty.id(), doomed.id(), "no-such-task")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(t.id(), 120L, empty.id(), 0L, doomed.id(), 0L, "no-such-task", 0L));
        assertThat(store.liveBytesOf(List.of())).isEmpty();
    }

    // ---- marking for deletion ----------------------------------------------------------------

    @Test
    void markingAWholeTaskHidesItRepointsItsChildrenAndQueuesItsObjects() {
        Task parent = insert(a.aTask("parent"));
        Task child1 = insert(a.aTask("child1").parentId(parent.id()));
        Task child2 = insert(a.aTask("child2").parentId(parent.id()));
        add(a.aModel(parent.id(), "p/model", 10));
        add(a.anArtifact(parent.id(), ArtifactKind.ARTIFACT, "p/file", 20));
        add(a.anArtifact(parent.id(), ArtifactKind.DEBUG_SAMPLE, "p/debug.png", 30));
        add(a.aPendingArtifact(parent.id(), ArtifactKind.LOG, "p/log.txt", 40));
        Instant at = clock.instant();

        MarkResult r = store.markForDeletion(whole(parent));

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.updatedChildren()).isEqualTo(2);
        assertThat(r.keptModelIds()).isEmpty();
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.markedArtifacts()).isEqualTo(4);
        assertThat(r.queuedKeys()).containsExactlyInAnyOrder("p/model", "p/file", "p/debug.png", "p/log.txt");
        assertThat(r.queuedBytes()).isEqualTo(100);
        Task marked = reload(parent);
        assertThat(marked.deletingSince()).isEqualTo(at);
        assertThat(marked.isLive()).isFalse();
        assertThat(marked.version()).isEqualTo(parent.version() + 1);
        assertThat(reload(child1).parentId()).isEqualTo(Task.DELETED_PARENT);
        assertThat(reload(child2).parentId()).isEqualTo(Task.DELETED_PARENT);
        assertThat(reload(child1).version()).isEqualTo(child1.version() + 1);
        assertThat(store.artifactsOf(parent.id())).extracting(Artifact::state).containsOnly(ArtifactState.DELETING);
        assertThat(store.pendingDeletes(100)).extracting(PendingDelete::storageKey)
                .containsExactlyInAnyOrder("p/model", "p/file", "p/debug.png", "p/log.txt");
        assertThat(store.pendingDeletes(100)).extracting(PendingDelete::taskId).containsOnly(parent.id());
        assertThat(store.unfinishedDeletions(10)).containsExactly(parent.id());
    }

    @Test
    void aTaskChangedAfterSelectionIsNotMarked() {
        Task selected = insert(a.anArchivedTask("old", clock.instant()));
        add(a.anArtifact(selected.id(), ArtifactKind.ARTIFACT, "t/file", 1));
        Task unarchived = store.replaceTask(selected.toBuilder().systemTags(Set.of()).archivedAt(null).build(),
                selected.version()).orElseThrow();

        MarkResult r = store.markForDeletion(whole(selected));

        assertThat(r.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(r.reason()).isNotBlank();
        assertThat(reload(selected)).isEqualTo(unarchived);
        assertThat(store.artifactsOf(selected.id())).extracting(Artifact::state).containsOnly(ArtifactState.LIVE);
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.unfinishedDeletions(10)).isEmpty();
    }

    @Test
    void aTaskAlreadyBeingDeletedIsNotMarkedAgain() {
        Task t = insert(a.aTask("t"));
        assertThat(store.markForDeletion(whole(t)).outcome()).isEqualTo(Outcome.MARKED);
        assertThat(store.markForDeletion(whole(reload(t))).outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(store.markForDeletion(artifactsOnly(reload(t))).outcome()).isEqualTo(Outcome.CHANGED);
    }

    @Test
    void markingAMissingTaskReportsNotFound() {
        MarkResult r = store.markForDeletion(new DeletionMark("missing", 0, true, true, true, "r", "a", clock.instant()));
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void publishedChildrenAndPublishedModelsRefuseTheMarkWhenAskedAndNothingChanges() {
        Task parent = insert(a.aTask("parent"));
        Task child = insert(a.aTask("child").parentId(parent.id()).status(TaskStatus.PUBLISHED));
        Task owner = insert(a.aTask("owner"));
        Artifact model = add(a.aModel(owner.id(), "o/model", 1).withPublished(true));
        add(a.anArtifact(owner.id(), ArtifactKind.ARTIFACT, "o/file", 1));

        MarkResult byChild = store.markForDeletion(refusing(parent));
        MarkResult byModel = store.markForDeletion(refusing(owner));

        assertThat(byChild.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(byChild.reason()).contains(child.id());
        assertThat(byModel.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(byModel.reason()).contains(model.id());
        assertThat(reload(parent)).isEqualTo(parent);
        assertThat(reload(owner)).isEqualTo(owner);
        assertThat(reload(child).parentId()).isEqualTo(parent.id());
        assertThat(store.artifactsOf(owner.id())).extracting(Artifact::state).containsOnly(ArtifactState.LIVE);
        assertThat(store.pendingDeletes(10)).isEmpty();
    }

    private DeletionMark refusing(Task t) {
        return new DeletionMark(t.id(), t.version(), true, true, true, "cleanup", "service", clock.instant());
    }

    @Test
    void publishedModelsAreKeptAndDetachedWhenNotRefused() {
        Task t = insert(a.aTask("t"));
        Artifact published = add(a.aModel(t.id(), "t/published", 5).withPublished(true));
        Artifact plain = add(a.aModel(t.id(), "t/plain", 7));

        MarkResult r = store.markForDeletion(whole(t));

        assertThat(r.keptModelIds()).containsExactly(published.id());
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("t/plain");
        assertThat(store.findArtifact(published.id())).contains(new Artifact(published.id(), null, ArtifactKind.MODEL,
                published.name(), published.storageKey(), 5, published.createdAt(), true, ArtifactState.LIVE));
        assertThat(store.findArtifact(plain.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
    }

    @Test
    void aModelUsedByAnotherLiveTaskIsKeptAndDetached() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task consumer = insert(a.aTask("consumer").inputModels(List.of(model.id())));

        MarkResult r = store.markForDeletion(whole(producer));
        purge(List.of(producer.id()));
        FinishResult f = store.finishDeletion(producer.id(), clock.instant()).orElseThrow();

        assertThat(r.keptModelIds()).containsExactly(model.id());
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(f.taskDeleted()).isTrue();
        assertThat(store.findArtifact(model.id())).get().satisfies(m -> {
            assertThat(m.taskId()).isNull();
            assertThat(m.state()).isEqualTo(ArtifactState.LIVE);
        });
        assertThat(reload(consumer).inputModels()).containsExactly(model.id());
        assertThat(store.isReferencedByLiveArtifact("p/model")).isTrue();
    }

    @Test
    void aModelUsedOnlyByTasksBeingDeletedIsDeletedAndBothDeletionsFinish() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task consumer = insert(a.aTask("consumer").inputModels(List.of(model.id())));
        assertThat(store.markForDeletion(whole(consumer)).outcome()).isEqualTo(Outcome.MARKED);

        MarkResult r = store.markForDeletion(whole(producer));
        assertThat(r.keptModelIds()).isEmpty();
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("p/model");

        purge(null);
        assertThat(store.finishDeletion(producer.id(), clock.instant())).get().extracting(FinishResult::objects).isEqualTo(1L);
        assertThat(store.finishDeletion(consumer.id(), clock.instant())).get().extracting(FinishResult::taskDeleted).isEqualTo(true);
        assertThat(store.findArtifact(model.id())).isEmpty();
        assertThat(store.findTask(consumer.id())).isEmpty();
    }

    // ---- detached models: kept while used, deleted with their last user --------------------------

    /** A producer with a 5-byte model, deleted (mark, purge, finish) while {@code users} use the model. */
    private Artifact detachedModelOf(String name, boolean published, List<Task.Builder> users, List<Task> created) {
        Task producer = insert(a.aTask(name));
        Artifact model = add(a.aModel(producer.id(), name + "/model", 5).withPublished(published));
        for (Task.Builder u : users) {
            created.add(insert(u.inputModels(List.of(model.id()))));
        }
        deleteCompletely(producer);
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::taskId).isNull();
        return model;
    }

    @Test
    void aDetachedModelIsDeletedWithItsLastUser() {
        List<Task> users = new ArrayList<>();
        Artifact model = detachedModelOf("p", false, List.of(a.aTask("first user"), a.aTask("last user")), users);
        add(a.anArtifact(users.get(1).id(), ArtifactKind.ARTIFACT, "last/file", 2));

        MarkResult first = store.markForDeletion(whole(users.get(0)));
        assertThat(first.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
        MarkResult last = store.markForDeletion(whole(users.get(1)));

        assertThat(last.deletedModels()).isEqualTo(1);
        assertThat(last.markedArtifacts()).isEqualTo(2);
        assertThat(last.queuedKeys()).containsExactlyInAnyOrder("p/model", "last/file");
        assertThat(last.queuedBytes()).isEqualTo(7);
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
        purge(null);
        assertThat(store.finishDeletion(users.get(0).id(), clock.instant())).isPresent();
        assertThat(store.finishDeletion(users.get(1).id(), clock.instant()))
                .contains(new FinishResult(users.get(1).id(), true, 2, 2, 7));
        assertThat(store.findArtifact(model.id())).isEmpty();
        assertThat(store.unfinishedDeletions(10)).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
    }

    @Test
    void aDetachedModelIsDeletedWithItsLastUserAlsoInABatchThatDeletesItsProducerFirst() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task user = insert(a.aTask("user").inputModels(List.of(model.id())));

        List<MarkResult> r = store.markAllForDeletion(List.of(whole(producer), whole(user)));

        assertThat(r.get(0).keptModelIds()).containsExactly(model.id());
        assertThat(r.get(1).queuedKeys()).containsExactly("p/model");
        purge(null);
        assertThat(store.finishDeletions(List.of(producer.id(), user.id()), clock.instant()))
                .extracting(FinishResult::objects).containsExactly(0L, 1L);
        assertThat(store.findArtifact(model.id())).isEmpty();
    }

    @Test
    void aDetachedModelAnotherLiveTaskStillUsesIsKept() {
        List<Task> users = new ArrayList<>();
        Artifact model = detachedModelOf("p", false, List.of(a.aTask("gone"), a.aTask("stays")), users);

        MarkResult r = store.markForDeletion(whole(users.get(0)));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(r.deletedModels()).isZero();
        assertThat(store.findArtifact(model.id())).get().satisfies(m -> {
            assertThat(m.state()).isEqualTo(ArtifactState.LIVE);
            assertThat(m.taskId()).isNull();
        });
    }

    @Test
    void aPublishedDetachedModelOutlivesItsLastUser() {
        List<Task> users = new ArrayList<>();
        Artifact model = detachedModelOf("p", true, List.of(a.aTask("user")), users);

        MarkResult r = store.markForDeletion(whole(users.get(0)));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void aModelKeptOnRequestOutlivesItsLastUser() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task user = insert(a.aTask("user").inputModels(List.of(model.id())));
        store.markForDeletion(new DeletionMark(producer.id(), producer.version(), true, false, false, "r", "a", clock.instant()));
        store.finishDeletion(producer.id(), clock.instant()).orElseThrow();

        MarkResult r = store.markForDeletion(whole(user));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void cancelingAJobThatUsesADetachedModelKeepsTheModel() {
        List<Task> users = new ArrayList<>();
        Artifact model = detachedModelOf("p", false, List.of(a.aTask("user")), users);

        MarkResult r = store.markForDeletion(artifactsOnly(users.get(0)));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    /** A detached model whose only user dropped it as input: no owner, no user (as older versions left them). */
    private Artifact unusedDetachedModel(String name) {
        List<Task> users = new ArrayList<>();
        Artifact model = detachedModelOf(name, false, List.of(a.aTask(name + " user")), users);
        Task user = reload(users.get(0));
        store.replaceTask(user.toBuilder().inputModels(List.of()).build(), user.version()).orElseThrow();
        return model;
    }

    @Test
    void detachedModelsNoLiveTaskUsesAreListedWithWhetherTheyAreKeptByDesign() {
        Artifact leaked = unusedDetachedModel("leaked");
        Artifact published = detachedModelOf("published", true, List.of(), new ArrayList<>());
        Task keeper = insert(a.aTask("keeper"));
        Artifact kept = add(a.aModel(keeper.id(), "keeper/model", 3));
        store.markForDeletion(new DeletionMark(keeper.id(), keeper.version(), true, false, false, "r", "a", clock.instant()));
        store.finishDeletion(keeper.id(), clock.instant()).orElseThrow();
        detachedModelOf("used", false, List.of(a.aTask("live user")), new ArrayList<>());
        Task owner = insert(a.aTask("owner"));
        add(a.aModel(owner.id(), "owner/model", 1));

        List<DetachedModel> all = store.unusedDetachedModels(null, 10);

        assertThat(all).extracting(d -> d.model().id(), DetachedModel::keptOnRequest, DetachedModel::keptByDesign)
                .containsExactly(tuple(leaked.id(), false, false), tuple(published.id(), false, true),
                        tuple(kept.id(), true, true));
        assertThat(all.get(0).model()).isEqualTo(new Artifact(leaked.id(), null, ArtifactKind.MODEL, leaked.name(),
                leaked.storageKey(), 5, leaked.createdAt(), false, ArtifactState.LIVE));
        assertThat(store.unusedDetachedModels(null, 1)).extracting(d -> d.model().id()).containsExactly(leaked.id());
        assertThat(store.unusedDetachedModels(published.id(), 10)).extracting(d -> d.model().id()).containsExactly(kept.id());
    }

    @Test
    void removingAnUnusedDetachedModelDropsItsRecordQueuesItsObjectAndAuditsIt() {
        Artifact leaked = unusedDetachedModel("leaked");
        Instant at = clock.advance(Duration.ofSeconds(1)).instant();

        MarkResult r = store.removeDetachedModel(leaked.id(), false, "fsck", "no owner, no user", at);

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("leaked/model");
        assertThat(r.queuedBytes()).isEqualTo(5);
        assertThat(store.findArtifact(leaked.id())).isEmpty();
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey, PendingDelete::taskId)
                .containsExactly(tuple("leaked/model", null));
        assertThat(store.unusedDetachedModels(null, 10)).isEmpty();
        assertThat(store.audit(1)).containsExactly(new AuditRecord(at, "fsck", "delete-model", leaked.id(), leaked.name(),
                null, "no owner, no user", 1, 5));
    }

    @Test
    void aPublishedKeptOrUsedDetachedModelIsRemovedOnlyWithForce() {
        Artifact published = detachedModelOf("published", true, List.of(), new ArrayList<>());
        List<Task> users = new ArrayList<>();
        Artifact used = detachedModelOf("used", false, List.of(a.aTask("live user")), users);

        MarkResult refusedPublished = store.removeDetachedModel(published.id(), false, "me", "why", clock.instant());
        MarkResult refusedUsed = store.removeDetachedModel(used.id(), false, "me", "why", clock.instant());

        assertThat(refusedPublished.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refusedPublished.reason()).contains("published").contains("force");
        assertThat(refusedUsed.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refusedUsed.reason()).contains(users.get(0).id()).contains("force");
        assertThat(store.findArtifact(published.id())).isPresent();
        assertThat(store.pendingDeletes(10)).isEmpty();

        Task before = reload(users.get(0));
        assertThat(store.removeDetachedModel(published.id(), true, "me", "why", clock.instant()).outcome())
                .isEqualTo(Outcome.MARKED);
        assertThat(store.removeDetachedModel(used.id(), true, "me", "why", clock.instant()).queuedKeys())
                .containsExactly("used/model");
        Task after = reload(users.get(0));
        assertThat(after.inputModels()).isEmpty();
        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(store.findArtifact(used.id())).isEmpty();
    }

    @Test
    void onlyADetachedLiveModelCanBeRemovedThatWay() {
        Task owner = insert(a.aTask("owner"));
        Artifact attached = add(a.aModel(owner.id(), "owner/model", 1));

        MarkResult r = store.removeDetachedModel(attached.id(), true, "me", "why", clock.instant());

        assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(r.reason()).contains(owner.id());
        assertThat(store.removeDetachedModel("unknown", true, "me", "why", clock.instant()).outcome())
                .isEqualTo(Outcome.NOT_FOUND);
        assertThat(store.findArtifact(attached.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void aRemovedDetachedModelsKeyThatALiveArtifactSharesIsNotQueued() {
        Artifact leaked = unusedDetachedModel("leaked");
        Task other = insert(a.aTask("other"));
        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, leaked.storageKey(), 5));

        MarkResult r = store.removeDetachedModel(leaked.id(), false, "me", "why", clock.instant());

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.isReferencedByLiveArtifact(leaked.storageKey())).isTrue();
    }

    @Test
    void outputModelsAreKeptWhenModelsAreNotToBeDeleted() {
        Task t = insert(a.aTask("t"));
        Artifact model = add(a.aModel(t.id(), "t/model", 5));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/file", 1));

        MarkResult r = store.markForDeletion(new DeletionMark(t.id(), t.version(), true, false, false, "r", "a", clock.instant()));

        assertThat(r.keptModelIds()).containsExactly(model.id());
        assertThat(r.deletedModels()).isZero();
        assertThat(r.markedArtifacts()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("t/file");
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void aModelWhoseUploadNeverFinishedIsDeletedEvenWhenModelsAreKept() {
        Task t = insert(a.aTask("t"));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/partial-model", 5));
        MarkResult r = store.markForDeletion(new DeletionMark(t.id(), t.version(), true, false, false, "r", "a", clock.instant()));
        assertThat(r.keptModelIds()).isEmpty();
        assertThat(r.queuedKeys()).containsExactly("t/partial-model");
        assertThat(store.findArtifact(pending.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
    }

    @Test
    void aKeySharedWithALiveArtifactIsNotQueued() {
        Task doomed = insert(a.aTask("doomed"));
        Task keeper = insert(a.aTask("keeper"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "shared/object", 50));
        add(a.anArtifact(keeper.id(), ArtifactKind.ARTIFACT, "shared/object", 50));

        MarkResult r = store.markForDeletion(whole(doomed));

        assertThat(r.markedArtifacts()).isEqualTo(1);
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(r.queuedBytes()).isZero();
        assertThat(store.pendingDeletes(10)).isEmpty();
        FinishResult f = store.finishDeletion(doomed.id(), clock.instant()).orElseThrow();
        assertThat(f).isEqualTo(new FinishResult(doomed.id(), true, 1, 0, 0));
        assertThat(store.isReferencedByLiveArtifact("shared/object")).isTrue();
    }

    @Test
    void aKeySharedByTwoMarkedArtifactsIsQueuedOnce() {
        Task first = insert(a.aTask("first"));
        Task second = insert(a.aTask("second"));
        add(a.aModel(first.id(), "same/object", 8));
        add(a.anArtifact(first.id(), ArtifactKind.ARTIFACT, "same/object", 8));
        add(a.anArtifact(second.id(), ArtifactKind.ARTIFACT, "same/object", 8));

        MarkResult one = store.markForDeletion(whole(second));
        MarkResult two = store.markForDeletion(whole(first));

        assertThat(one.queuedKeys()).isEmpty();
        assertThat(two.markedArtifacts()).isEqualTo(2);
        assertThat(two.queuedKeys()).containsExactly("same/object");
        assertThat(two.queuedBytes()).isEqualTo(8);
        assertThat(store.pendingDeletes(10)).hasSize(1);
    }

    @Test
    void markingOnlyArtifactsKeepsTheTaskLiveUntilItsArtifactsAreGone() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task job = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        add(a.anArtifact(job.id(), ArtifactKind.RESULT, "j/result", 3));
        add(a.aPendingArtifact(job.id(), ArtifactKind.LOG, "j/log", 4));
        Task canceled = store.replaceTask(job.withStatus(TaskStatus.CANCELED, now), job.version()).orElseThrow();

        MarkResult r = store.markForDeletion(artifactsOnly(canceled));

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.updatedChildren()).isZero();
        assertThat(r.queuedKeys()).containsExactlyInAnyOrder("j/result", "j/log");
        Task marked = reload(job);
        assertThat(marked.isLive()).isTrue();
        assertThat(marked.version()).isEqualTo(canceled.version() + 1);
        assertThat(ids(q())).containsExactly(job.id());
        assertThat(store.unfinishedDeletions(10)).containsExactly(job.id());
        assertThat(store.finishDeletion(job.id(), clock.instant())).isEmpty();

        purge(List.of(job.id()));
        Instant finishedAt = clock.instant();
        FinishResult f = store.finishDeletion(job.id(), finishedAt).orElseThrow();

        assertThat(f).isEqualTo(new FinishResult(job.id(), false, 2, 2, 7));
        assertThat(reload(job).status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(store.artifactsOf(job.id())).isEmpty();
        assertThat(store.unfinishedDeletions(10)).isEmpty();
        assertThat(store.audit(1)).containsExactly(new AuditRecord(finishedAt, "tester", "delete-artifacts", job.id(), "job",
                TestTasks.PROJECT, "job canceled", 2, 7));
        assertThat(store.finishDeletion(job.id(), clock.instant())).isEmpty();
        add(a.anArtifact(job.id(), ArtifactKind.LOG, "j/new-log", 1));
    }

    // ---- the pending-delete queue ------------------------------------------------------------

    @Test
    void claimedEntriesAreNotClaimedAgainUntilTheClaimRunsOut() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 2));
        store.markForDeletion(whole(t));
        Instant now = clock.instant();

        List<PendingDelete> first = store.claimPendingDeletes(null, 1, now, now.plusSeconds(60));
        List<PendingDelete> second = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).id()).isNotEqualTo(first.get(0).id());
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(59), now.plusSeconds(120))).isEmpty();
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(60), now.plusSeconds(120))).hasSize(2);
        assertThat(first.get(0)).satisfies(p -> {
            assertThat(p.taskId()).isEqualTo(t.id());
            assertThat(p.attempts()).isZero();
            assertThat(p.lastError()).isNull();
        });
    }

    @Test
    void anEntryClaimedAgainSaysItWasClaimedBeforeSoAnObjectItFindsAbsentCountsAsFreed() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        store.markForDeletion(whole(t));
        Instant now = clock.instant();

        List<PendingDelete> first = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));
        List<PendingDelete> again = store.claimPendingDeletes(null, 10, now.plusSeconds(60), now.plusSeconds(120));

        assertThat(first).singleElement().extracting(PendingDelete::claimedBefore).isEqualTo(false);
        assertThat(again).singleElement().extracting(PendingDelete::claimedBefore).isEqualTo(true);
    }

    @Test
    void aClaimRecordsItsClaimantAndTheClaimsOfOneClaimantCanBeEnded() {
        Task one = insert(a.aTask("one"));
        Task two = insert(a.aTask("two"));
        add(a.anArtifact(one.id(), ArtifactKind.ARTIFACT, "one/a", 1));
        add(a.anArtifact(one.id(), ArtifactKind.ARTIFACT, "one/b", 1));
        add(a.anArtifact(two.id(), ArtifactKind.ARTIFACT, "two/a", 1));
        store.markForDeletion(whole(one));
        store.markForDeletion(whole(two));
        ProcessIdentity gone = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 101, 5);
        ProcessIdentity running = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 202, 6);
        Instant now = clock.instant();
        assertThat(store.claimPendingDeletes(List.of(one.id()), 10, now, now.plusSeconds(60), gone)).hasSize(2);
        assertThat(store.claimPendingDeletes(List.of(two.id()), 10, now, now.plusSeconds(90), running)).hasSize(1);

        assertThat(store.queueClaims(null, now)).containsExactlyInAnyOrder(
                new QueueClaim(one.id(), gone.encode(), now.plusSeconds(60), 2),
                new QueueClaim(two.id(), running.encode(), now.plusSeconds(90), 1));
        assertThat(store.queueClaims(List.of(two.id()), now)).singleElement()
                .satisfies(c -> assertThat(c.holder()).contains(running));
        assertThat(store.queueClaims(List.of(), now)).isEmpty();
        assertThat(store.queueClaims(null, now.plusSeconds(60))).as("a claim that ran out holds nothing")
                .extracting(QueueClaim::taskId).containsExactly(two.id());

        assertThat(store.releaseQueueClaims(gone.encode(), now)).isEqualTo(2);
        assertThat(store.queueClaims(null, now)).extracting(QueueClaim::taskId).containsExactly(two.id());
        assertThat(store.claimPendingDeletes(null, 10, now, now.plusSeconds(60), running))
                .as("free again at once; the other claimant's entry stays claimed")
                .extracting(PendingDelete::storageKey).containsExactlyInAnyOrder("one/a", "one/b");
    }

    @Test
    void claimingCanBeLimitedToSomeTasks() {
        Task one = insert(a.aTask("one"));
        Task two = insert(a.aTask("two"));
        add(a.anArtifact(one.id(), ArtifactKind.ARTIFACT, "one/a", 1));
        add(a.anArtifact(two.id(), ArtifactKind.ARTIFACT, "two/a", 1));
        store.markForDeletion(whole(one));
        store.markForDeletion(whole(two));
        Instant now = clock.instant();

        assertThat(store.claimPendingDeletes(List.of(), 10, now, now.plusSeconds(60))).isEmpty();
        assertThat(store.claimPendingDeletes(List.of(two.id()), 10, now, now.plusSeconds(60)))
                .extracting(PendingDelete::storageKey).containsExactly("two/a");
        assertThat(store.claimPendingDeletes(null, 10, now, now.plusSeconds(60)))
                .extracting(PendingDelete::storageKey).containsExactly("one/a");
    }

    @Test
    void anEntryWhoseKeyIsLiveAgainIsDroppedAndNotClaimed() {
        insert(a.aQueuedJob("writer", "q"));
        Instant now = clock.instant();
        Task writer = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact upload = add(a.aPendingArtifact(writer.id(), ArtifactKind.ARTIFACT, "shared/object", 9));
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "shared/object", 9));
        assertThat(store.markForDeletion(whole(doomed)).queuedKeys()).containsExactly("shared/object");
        store.finishJob(writer.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(upload.id()), now);
        now = clock.instant();

        assertThat(store.claimPendingDeletes(null, 10, now, now.plusSeconds(60))).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.finishDeletion(doomed.id(), now)).contains(new FinishResult(doomed.id(), true, 1, 0, 0));
        assertThat(store.isReferencedByLiveArtifact("shared/object")).isTrue();
    }

    @Test
    void aFailedEntryIsRetriedNoEarlierThanItsRetryTime() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/stubborn", 1));
        store.markForDeletion(whole(t));
        Instant now = clock.instant();
        PendingDelete entry = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60)).get(0);

        store.failPendingDelete(entry.id(), "access denied", now.plusSeconds(300));

        assertThat(store.pendingDeletes(10)).containsExactly(
                new PendingDelete(entry.id(), "t/stubborn", t.id(), 1, 1, "access denied"));
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(299), now.plusSeconds(400))).isEmpty();
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(300), now.plusSeconds(400)))
                .extracting(PendingDelete::attempts).containsExactly(1);
        assertThat(store.finishDeletion(t.id(), now)).isEmpty();
    }

    @Test
    void completedEntriesAreNoLongerPendingButStillCountWhenTheDeletionFinishes() {
        Task t = insert(a.aTask("t"));
        List<PendingDelete> claimed = markedAndClaimed(t);
        Instant now = clock.instant();

        store.completePendingDeletes(List.of(claimed.get(0).id()));
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::id).containsExactly(claimed.get(1).id());
        assertThat(store.finishDeletion(t.id(), now)).isEmpty();
        assertThat(reload(t).isLive()).isFalse();

        store.completePendingDeletes(List.of(claimed.get(1).id()));
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.finishDeletion(t.id(), now)).contains(new FinishResult(t.id(), true, 2, 2, 123));
    }

    @Test
    void finishingWithTheDeletedEntriesCountsThemAndLeavesNoneBehind() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 23));
        Task u = insert(a.aTask("u"));
        add(a.anArtifact(u.id(), ArtifactKind.ARTIFACT, "u/a", 7));
        add(a.anArtifact(u.id(), ArtifactKind.ARTIFACT, "u/b", 8));
        // an entry per object for t, one whole-task entry for u
        store.markForDeletion(whole(t));
        store.markAllForDeletion(List.of(whole(u)));
        Instant now = clock.instant();
        List<PendingDelete> claimed = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));
        assertThat(claimed).hasSize(3);
        // an entry completed earlier (a previous batch) counts as well
        PendingDelete first = claimed.stream().filter(p -> p.storageKey().equals("t/a")).findFirst().orElseThrow();
        store.completePendingDeletes(List.of(first.id()));

        List<FinishResult> finished = store.finishDeletions(List.of(t.id(), u.id()),
                claimed.stream().map(PendingDelete::id).filter(id -> id != first.id()).toList(), now);

        assertThat(finished).containsExactlyInAnyOrder(new FinishResult(t.id(), true, 2, 2, 123),
                new FinishResult(u.id(), true, 2, 2, 15));
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.findTask(t.id())).isEmpty();
        assertThat(store.findTask(u.id())).isEmpty();
        assertThat(store.audit(10)).extracting(AuditRecord::objects).containsExactlyInAnyOrder(2L, 2L);
    }

    @Test
    void finishingWithSomeEntriesStillOpenRecordsTheDeletedOnesAsDoneAndKeepsTheTask() {
        Task t = insert(a.aTask("t"));
        List<PendingDelete> claimed = markedAndClaimed(t);
        Instant now = clock.instant();

        assertThat(store.finishDeletions(List.of(t.id()), List.of(claimed.get(0).id()), now)).isEmpty();

        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::id).containsExactly(claimed.get(1).id());
        assertThat(reload(t).isLive()).isFalse();
        assertThat(store.finishDeletions(List.of(t.id()), List.of(claimed.get(1).id()), now))
                .containsExactly(new FinishResult(t.id(), true, 2, 2, 123));
    }

    @Test
    void markingManyTasksInOneCallMarksEachAsMarkingThemOneAfterAnotherWould() {
        MarkWorld batched = new MarkWorld("A");
        MarkWorld alone = new MarkWorld("B");

        List<MarkResult> together = store.markAllForDeletion(batched.marks);
        List<MarkResult> oneByOne = new ArrayList<>();
        for (DeletionMark m : alone.marks) {
            oneByOne.add(store.markForDeletion(m));
        }

        assertThat(together).extracting(MarkResult::outcome).containsExactly(Outcome.MARKED, Outcome.MARKED, Outcome.MARKED,
                Outcome.MARKED, Outcome.CHANGED, Outcome.MARKED, Outcome.MARKED, Outcome.MARKED, Outcome.MARKED,
                Outcome.MARKED, Outcome.MARKED, Outcome.MARKED, Outcome.MARKED, Outcome.CHANGED, Outcome.REFUSED,
                Outcome.MARKED, Outcome.MARKED, Outcome.CHANGED, Outcome.NOT_FOUND, Outcome.MARKED, Outcome.MARKED,
                Outcome.MARKED, Outcome.MARKED);
        assertThat(together.get(0).queuedKeys()).containsExactly("A/plain/a", "A/plain/b");
        assertThat(together.get(2).queuedKeys()).containsExactly("A/pending/a");
        assertThat(together.get(6).updatedChildren()).isEqualTo(1);
        assertThat(together.get(7).keptModelIds()).hasSize(1);
        assertThat(together.get(9).queuedKeys()).isEmpty();
        assertThat(together.get(10).queuedKeys()).containsExactly("A/shared");
        // the later-made sharer marked first: the key goes with the mark that comes second
        assertThat(together.get(11).queuedKeys()).isEmpty();
        assertThat(together.get(12).queuedKeys()).containsExactly("A/shared2");
        // the producer keeps its model for the later user, whose mark then deletes it; of two users
        // of a model detached before the batch, the second one marked deletes it
        assertThat(together.get(19).keptModelIds()).hasSize(1);
        assertThat(together.get(20).queuedKeys()).containsExactly("A/producer2/model");
        assertThat(together.get(21).queuedKeys()).isEmpty();
        assertThat(together.get(22).queuedKeys()).containsExactly("A/producer3/model");
        assertThat(batched.describe(together)).isEqualTo(alone.describe(oneByOne));
        assertThat(batched.state()).isEqualTo(alone.state());
        // the independent task with objects got one entry standing for them; marked alone, an entry each
        String plain = batched.marks.get(0).taskId();
        assertThat(store.pendingDeletes(1000)).filteredOn(p -> plain.equals(p.taskId()))
                .singleElement().satisfies(p -> assertThat(p.wholeTask()).isTrue());
        String plainAlone = alone.marks.get(0).taskId();
        assertThat(store.pendingDeletes(1000)).filteredOn(p -> plainAlone.equals(p.taskId())).hasSize(2)
                .noneMatch(PendingDelete::wholeTask);
    }

    @Test
    void aBatchMarkQueuesOneEntryForASmallIndependentTaskThatStandsForItsObjects() {
        Task small = insert(a.aTask("small"));
        add(a.anArtifact(small.id(), ArtifactKind.ARTIFACT, "small/a", 3));
        add(a.aPendingArtifact(small.id(), ArtifactKind.DEBUG_SAMPLE, "small/b", 4));
        Task big = insert(a.aTask("big"));
        for (int i = 0; i <= PendingDelete.WHOLE_TASK_MAX_OBJECTS; i++) {
            add(a.anArtifact(big.id(), ArtifactKind.ARTIFACT, "big/" + i, 1));
        }
        Task empty = insert(a.aTask("empty"));

        List<MarkResult> marked = store.markAllForDeletion(List.of(whole(small), whole(big), whole(empty)));

        assertThat(marked.get(0).queuedKeys()).containsExactly("small/a", "small/b");
        assertThat(marked.get(0).queuedBytes()).isEqualTo(7);
        List<PendingDelete> queue = store.pendingDeletes(1000);
        assertThat(queue).filteredOn(p -> p.taskId().equals(small.id())).singleElement().satisfies(p -> {
            assertThat(p.wholeTask()).isTrue();
            assertThat(p.storageKey()).isEqualTo(PendingDelete.WHOLE_TASK_PREFIX + small.id());
            assertThat(p.sizeBytes()).isEqualTo(7);
        });
        // more objects than one entry may stand for: an entry each, as marking it alone would queue
        assertThat(queue).filteredOn(p -> p.taskId().equals(big.id())).hasSize(PendingDelete.WHOLE_TASK_MAX_OBJECTS + 1)
                .noneMatch(PendingDelete::wholeTask);
        assertThat(queue).noneMatch(p -> p.taskId().equals(empty.id()));
        assertThat(store.objectsOfWholeTaskEntries(List.of(small.id(), empty.id())))
                .isEqualTo(Map.of(small.id(), Map.of("small/a", 3L, "small/b", 4L)));
    }

    @Test
    void aWholeTaskEntryWithObjectsThatFailedIsSplitAndTheTaskFinishesWithEveryObjectCounted() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 20));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/c", 3));
        store.markAllForDeletion(List.of(whole(t)));
        Instant now = clock.instant();
        PendingDelete entry = store.claimPendingDeletes(List.of(t.id()), 10, now, now.plusSeconds(60)).get(0);
        Instant retryAt = now.plusSeconds(30);

        store.splitWholeTaskEntry(entry, 1, 100, List.of(new PendingDelete(0, "t/b", t.id(), 20, 1, "disk on fire"),
                new PendingDelete(0, "t/c", t.id(), 3, 1, "disk on fire")), retryAt);

        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey, PendingDelete::attempts, PendingDelete::lastError)
                .containsExactlyInAnyOrder(tuple("t/b", 1, "disk on fire"), tuple("t/c", 1, "disk on fire"));
        assertThat(store.claimPendingDeletes(List.of(t.id()), 10, now, now.plusSeconds(60))).isEmpty();
        assertThat(store.finishDeletion(t.id(), now)).isEmpty();
        // a second split of the same entry (another purger's) changes nothing
        store.splitWholeTaskEntry(entry, 0, 0, List.of(new PendingDelete(0, "t/a", t.id(), 100, 1, "late")), retryAt);
        assertThat(store.pendingDeletes(10)).hasSize(2);

        List<PendingDelete> retried = store.claimPendingDeletes(List.of(t.id()), 10, retryAt, retryAt.plusSeconds(60));
        assertThat(store.finishDeletions(List.of(t.id()), retried.stream().map(PendingDelete::id).toList(), retryAt))
                .containsExactly(new FinishResult(t.id(), true, 3, 3, 123));
        assertThat(store.pendingDeletes(10)).isEmpty();
    }

    /**
     * The same tasks, artifacts and marks under a prefix, for comparing one way of marking with
     * another: independent tasks and every kind of mark that depends on another mark of the batch
     * (child after parent, parent after child, model used by a later mark, a key shared by two
     * marks in either order of their tasks), besides a stale, a refused, an artifacts-only, a repeated and an unknown mark.
     */
    private final class MarkWorld {
        final String prefix;
        final List<DeletionMark> marks = new ArrayList<>();
        /** Every id made, in order: the same position in another world is the same thing. */
        private final List<String> ids = new ArrayList<>();

        MarkWorld(String prefix) {
            this.prefix = prefix;
            Task plain = task(a.aTask(prefix + "plain"));
            artifact(a.anArtifact(plain.id(), ArtifactKind.ARTIFACT, prefix + "/plain/a", 3));
            artifact(a.anArtifact(plain.id(), ArtifactKind.DEBUG_SAMPLE, prefix + "/plain/b", 4));
            Task empty = task(a.aTask(prefix + "empty"));
            Task pending = task(a.aTask(prefix + "pending"));
            artifact(a.aPendingArtifact(pending.id(), ArtifactKind.ARTIFACT, prefix + "/pending/a", 5));
            Task parent = task(a.aTask(prefix + "parent"));
            artifact(a.anArtifact(parent.id(), ArtifactKind.ARTIFACT, prefix + "/parent/a", 6));
            Task child = task(a.aTask(prefix + "child").parentId(parent.id()));
            Task parent2 = task(a.aTask(prefix + "parent2"));
            Task child2 = task(a.aTask(prefix + "child2").parentId(parent2.id()));
            artifact(a.anArtifact(child2.id(), ArtifactKind.ARTIFACT, prefix + "/child2/a", 7));
            Task producer = task(a.aTask(prefix + "producer"));
            Artifact model = artifact(a.aModel(producer.id(), prefix + "/producer/model", 8));
            Task consumer = task(a.aTask(prefix + "consumer").inputModels(List.of(model.id())));
            Task sharer1 = task(a.aTask(prefix + "sharer1"));
            artifact(a.anArtifact(sharer1.id(), ArtifactKind.ARTIFACT, prefix + "/shared", 9));
            Task sharer2 = task(a.aTask(prefix + "sharer2"));
            artifact(a.anArtifact(sharer2.id(), ArtifactKind.ARTIFACT, prefix + "/shared", 9));
            Task sharer3 = task(a.aTask(prefix + "sharer3"));
            artifact(a.anArtifact(sharer3.id(), ArtifactKind.ARTIFACT, prefix + "/shared2", 9));
            Task sharer4 = task(a.aTask(prefix + "sharer4"));
            artifact(a.anArtifact(sharer4.id(), ArtifactKind.ARTIFACT, prefix + "/shared2", 9));
            Task stale = task(a.aTask(prefix + "stale"));
            store.replaceTask(stale.toBuilder().name(prefix + "renamed").build(), stale.version());
            Task published = task(a.aTask(prefix + "published"));
            Artifact publishedModel = artifact(a.aModel(published.id(), prefix + "/published/model", 10));
            store.setArtifactPublished(publishedModel.id(), true);
            Task canceled = task(a.aTask(prefix + "canceled"));
            artifact(a.anArtifact(canceled.id(), ArtifactKind.ARTIFACT, prefix + "/canceled/a", 11));
            Task twice = task(a.aTask(prefix + "twice"));
            artifact(a.anArtifact(twice.id(), ArtifactKind.ARTIFACT, prefix + "/twice/a", 12));
            Task producer2 = task(a.aTask(prefix + "producer2"));
            Artifact model2 = artifact(a.aModel(producer2.id(), prefix + "/producer2/model", 13));
            Task consumer2 = task(a.aTask(prefix + "consumer2").inputModels(List.of(model2.id())));
            Task producer3 = task(a.aTask(prefix + "producer3"));
            Artifact model3 = artifact(a.aModel(producer3.id(), prefix + "/producer3/model", 14));
            Task consumer3a = task(a.aTask(prefix + "consumer3a").inputModels(List.of(model3.id())));
            Task consumer3b = task(a.aTask(prefix + "consumer3b").inputModels(List.of(model3.id())));
            deleteCompletely(producer3);
            for (Task t : List.of(plain, empty, pending, parent, child, child2, parent2, producer, consumer, sharer1, sharer2,
                    sharer4, sharer3, stale)) {
                marks.add(whole(t));
            }
            marks.add(new DeletionMark(published.id(), published.version(), true, true, true, "tested", "tester", clock.instant()));
            marks.add(artifactsOnly(canceled));
            marks.add(whole(twice));
            marks.add(whole(twice));
            ids.add(prefix + "-unknown");
            marks.add(new DeletionMark(prefix + "-unknown", 1, true, true, false, "tested", "tester", clock.instant()));
            // a producer and then the last user of its model; two users of a model detached before
            for (Task t : List.of(producer2, consumer2, consumer3a, consumer3b)) {
                marks.add(whole(t));
            }
        }

        private Task task(Task.Builder b) {
            Task t = insert(b);
            ids.add(t.id());
            return t;
        }

        private Artifact artifact(Artifact x) {
            ids.add(x.id());
            return add(x);
        }

        /** Text with this world's ids replaced by their positions and its storage keys without the prefix. */
        private String positions(String text) {
            for (int i = 0; i < ids.size(); i++) {
                text = text.replace(ids.get(i), "#" + i);
            }
            return text.replace(prefix + "/", "/");
        }

        /** The results with positions for ids, and without times (each world is built at its own). */
        String describe(List<MarkResult> results) {
            return positions(results.toString()).replaceAll("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z", "<time>");
        }

        /** What the marks left: each task's version, parent, liveness and artifacts, and the queue's entries of this world. */
        String state() {
            StringBuilder out = new StringBuilder();
            for (String id : ids) {
                store.findTask(id).ifPresent(t -> out.append(positions(t.id() + " v" + t.version() + " parent " + t.parentId()
                        + " live " + t.isLive() + " " + store.artifactsOf(id).stream().map(x -> x.storageKey() + ":" + x.state())
                        .toList())).append('\n'));
            }
            // a whole-task entry stands for its objects: the same queue as their entries one by one
            List<String> lines = new ArrayList<>();
            for (PendingDelete p : store.pendingDeletes(1000)) {
                if (p.wholeTask() && ids.contains(p.taskId())) {
                    store.objectsOfWholeTaskEntries(List.of(p.taskId())).get(p.taskId())
                            .forEach((key, size) -> lines.add(positions(key + " of " + p.taskId() + " " + size)));
                } else if (p.storageKey().startsWith(prefix + "/")) {
                    lines.add(positions(p.storageKey() + " of " + p.taskId() + " " + p.sizeBytes()));
                }
            }
            lines.stream().sorted().forEach(line -> out.append(line).append('\n'));
            return out.toString();
        }
    }

    @Test
    void finishingManyTasksInOneCallFinishesEachAsFinishingItAloneWould() {
        Task parent = insert(a.aTask("parent").project("vision"));
        add(a.anArtifact(parent.id(), ArtifactKind.ARTIFACT, "parent/a", 5));
        Task empty = insert(a.aTask("empty"));
        Task canceled = insert(a.aTask("canceled"));
        add(a.anArtifact(canceled.id(), ArtifactKind.ARTIFACT, "canceled/a", 3));
        Task waiting = insert(a.aTask("waiting"));
        add(a.anArtifact(waiting.id(), ArtifactKind.ARTIFACT, "waiting/a", 1));
        Task live = insert(a.aTask("live"));
        store.markAllForDeletion(List.of(whole(parent), whole(empty), artifactsOnly(canceled), whole(waiting)));
        // a child created after its parent was marked still points at it until the parent finishes
        Task child = insert(a.aTask("late child").parentId(parent.id()));
        Instant now = clock.instant();
        List<PendingDelete> claimed = store.claimPendingDeletes(List.of(parent.id(), canceled.id()), 10, now,
                now.plusSeconds(60));
        Instant at = clock.advance(Duration.ofSeconds(1)).instant();

        List<FinishResult> finished = store.finishDeletions(List.of(waiting.id(), parent.id(), "unknown", live.id(), empty.id(),
                canceled.id(), parent.id()), claimed.stream().map(PendingDelete::id).toList(), at);

        assertThat(finished).containsExactly(new FinishResult(parent.id(), true, 1, 1, 5),
                new FinishResult(empty.id(), true, 0, 0, 0), new FinishResult(canceled.id(), false, 1, 1, 3));
        assertThat(store.findTask(parent.id())).isEmpty();
        assertThat(store.findTask(empty.id())).isEmpty();
        assertThat(reload(canceled).isLive()).isTrue();
        assertThat(store.artifactsOf(canceled.id())).isEmpty();
        assertThat(reload(waiting).isLive()).isFalse();
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey)
                .containsExactly(PendingDelete.wholeTaskKey(waiting.id()));
        assertThat(reload(live)).isEqualTo(live);
        assertThat(reload(child).parentId()).isEqualTo(Task.DELETED_PARENT);
        assertThat(store.audit(10)).extracting(AuditRecord::taskId, AuditRecord::action, AuditRecord::project, AuditRecord::objects)
                .containsExactlyInAnyOrder(tuple(parent.id(), "delete-task", "vision", 1L),
                        tuple(empty.id(), "delete-task", TestTasks.PROJECT, 0L),
                        tuple(canceled.id(), "delete-artifacts", TestTasks.PROJECT, 1L));
    }

    // ---- finishing ---------------------------------------------------------------------------

    @Test
    void finishingRemovesTheTaskWithEverythingItOwnedAndAppendsAnAudit() {
        Task producer = insert(a.aTask("producer"));
        Artifact input = add(a.aModel(producer.id(), "p/model", 1));
        Task t = insert(a.aTask("finished").project("vision").tags(Set.of("x")).systemTags(Set.of(Task.ARCHIVED))
                .archivedAt(clock.instant()).inputModels(List.of(input.id())));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 10));
        add(a.anArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "t/b", 20));
        store.appendConsole(t.id(), "output");
        store.markForDeletion(new DeletionMark(t.id(), t.version(), true, true, true, "archived 30 days ago", "cleanup-service",
                clock.instant()));
        purge(null);
        Instant at = clock.advance(Duration.ofSeconds(1)).instant();

        FinishResult f = store.finishDeletion(t.id(), at).orElseThrow();

        assertThat(f).isEqualTo(new FinishResult(t.id(), true, 2, 2, 30));
        assertThat(store.findTask(t.id())).isEmpty();
        assertThat(store.artifactsOf(t.id())).isEmpty();
        assertThat(store.readConsole(t.id())).isEmpty();
        assertThat(store.query(q().includeDeleting(true).build()).items()).extracting(Task::id).containsExactly(producer.id());
        assertThat(store.unfinishedDeletions(10)).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.audit(10)).containsExactly(new AuditRecord(at, "cleanup-service", "delete-task", t.id(), "finished",
                "vision", "archived 30 days ago", 2, 30));
        assertThat(store.findArtifact(input.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
        assertThat(store.finishDeletion(t.id(), at)).isEmpty();
    }

    @Test
    void aMarkedTaskWithoutArtifactsFinishesAtOnce() {
        Task t = insert(a.aTask("empty"));
        store.markForDeletion(whole(t));
        assertThat(store.finishDeletion(t.id(), clock.instant())).contains(new FinishResult(t.id(), true, 0, 0, 0));
    }

    @Test
    void finishingATaskWithoutADeletionInProgressDoesNothing() {
        Task t = insert(a.aTask("live"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        assertThat(store.finishDeletion(t.id(), clock.instant())).isEmpty();
        assertThat(store.finishDeletion("unknown", clock.instant())).isEmpty();
        assertThat(reload(t)).isEqualTo(t);
        assertThat(store.artifactsOf(t.id())).hasSize(1);
        assertThat(store.audit(10)).isEmpty();
    }

    @Test
    void unfinishedDeletionsListsMarkedTasksAndTasksWithArtifactsBeingDeleted() {
        Task whole = insert(a.aTask("whole"));
        Task partly = insert(a.aTask("partly"));
        add(a.anArtifact(partly.id(), ArtifactKind.ARTIFACT, "p/a", 1));
        Task untouched = insert(a.aTask("untouched"));
        store.markForDeletion(whole(whole));
        store.markForDeletion(artifactsOnly(partly));
        assertThat(store.unfinishedDeletions(10)).containsExactlyInAnyOrder(whole.id(), partly.id()).doesNotContain(untouched.id());
        assertThat(store.unfinishedDeletions(1)).hasSize(1);
    }

    @Test
    void theAuditListsTheNewestRecordsFirst() {
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Task t = insert(a.aTask("t" + i));
            deleteCompletely(t);
            deleted.add(t.id());
        }
        assertThat(store.audit(2)).extracting(AuditRecord::taskId).containsExactly(deleted.get(2), deleted.get(1));
    }

    // ---- workers and leases ------------------------------------------------------------------

    @Test
    void aHeartbeatRegistersOrUpdatesAWorker() {
        Instant start = clock.instant();
        WorkerInfo w1 = new WorkerInfo("w1", "host-a", 101, Set.of("default", "gpu"), 4, start, start);
        WorkerInfo w2 = new WorkerInfo("w2", "host-b", 202, Set.of("services"), 1, start, start);
        store.heartbeat(w1);
        store.heartbeat(w2);
        WorkerInfo later = new WorkerInfo("w1", "host-a", 101, Set.of("default"), 2, start, start.plusSeconds(10));
        store.heartbeat(later);

        assertThat(store.workers()).containsExactlyInAnyOrder(later, w2);
        store.removeWorker("w2");
        assertThat(store.workers()).containsExactly(later);
    }

    @Test
    void aLeaseIsHeldByOneHolderUntilItExpiresOrIsReleased() {
        Instant now = clock.instant();
        assertThat(store.lease("cleanup")).isEmpty();
        assertThat(store.tryAcquireLease("cleanup", "a", now, now.plusSeconds(60))).isTrue();
        assertThat(store.tryAcquireLease("cleanup", "b", now.plusSeconds(59), now.plusSeconds(120))).isFalse();
        assertThat(store.tryAcquireLease("cleanup", "a", now.plusSeconds(30), now.plusSeconds(90))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "a", now.plusSeconds(90)));
        assertThat(store.tryAcquireLease("cleanup", "b", now.plusSeconds(90), now.plusSeconds(150))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "b", now.plusSeconds(150)));

        store.releaseLease("cleanup", "a");
        assertThat(store.lease("cleanup")).isPresent();
        store.releaseLease("cleanup", "b");
        assertThat(store.lease("cleanup")).isEmpty();
        assertThat(store.tryAcquireLease("cleanup", "c", now, now.plusSeconds(1))).isTrue();
        assertThat(store.tryAcquireLease("other", "d", now, now.plusSeconds(1))).isTrue();
    }

    @Test
    void aLeaseIsRenewedOnlyByItsHolderAndOnlyBeforeItRunsOut() {
        Instant now = clock.instant();
        assertThat(store.renewLease("cleanup", "a", now, now.plusSeconds(60))).as("nobody holds it").isFalse();
        assertThat(store.lease("cleanup")).isEmpty();
        store.tryAcquireLease("cleanup", "a", now, now.plusSeconds(60));

        assertThat(store.renewLease("cleanup", "b", now.plusSeconds(30), now.plusSeconds(90))).isFalse();
        assertThat(store.renewLease("cleanup", "a", now.plusSeconds(30), now.plusSeconds(90))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "a", now.plusSeconds(90)));
        assertThat(store.renewLease("cleanup", "a", now.plusSeconds(90), now.plusSeconds(150)))
                .as("it ran out: another holder may have had it meanwhile").isFalse();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "a", now.plusSeconds(90)));
    }

    @Test
    void aFencedMarkIsMadeOnlyWhileItsHolderHoldsTheLease() {
        Instant now = clock.instant();
        Task t = insert(a.aTask("fenced"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "fenced/a", 10));
        store.tryAcquireLease("cleanup", "run-1", now, now.plusSeconds(60));

        assertThatThrownBy(() -> store.markAllForDeletion(List.of(whole(t)), new LeaseFence("cleanup", "run-1",
                now.plusSeconds(60)))).isInstanceOf(LeaseLostException.class).hasMessageContaining("ran out");
        store.tryAcquireLease("cleanup", "run-2", now.plusSeconds(61), now.plusSeconds(180));
        assertThatThrownBy(() -> store.markAllForDeletion(List.of(whole(t)), new LeaseFence("cleanup", "run-1",
                now.plusSeconds(30)))).isInstanceOfSatisfying(LeaseLostException.class,
                e -> assertThat(e.current()).get().extracting(LeaseInfo::holder).isEqualTo("run-2"))
                .hasMessageContaining("held by run-2");
        assertThat(reload(t).deletingSince()).as("nothing marked").isNull();
        assertThat(store.pendingDeletes(10)).isEmpty();

        assertThat(store.markAllForDeletion(List.of(whole(t)), new LeaseFence("cleanup", "run-2", now.plusSeconds(62))))
                .extracting(MarkResult::outcome).containsExactly(Outcome.MARKED);
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::taskId).containsExactly(t.id());
        store.releaseLease("cleanup", "run-2");
        assertThatThrownBy(() -> store.markAllForDeletion(List.of(), new LeaseFence("cleanup", "run-2",
                now.plusSeconds(63)))).isInstanceOf(LeaseLostException.class).hasMessageContaining("nobody holds it");
    }

    @Test
    void aLeaseRecordsItsHoldersProcessAndIsTakenOverOnlyFromTheHolderExpected() {
        Instant now = clock.instant();
        ProcessIdentity first = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 101, 5);
        ProcessIdentity second = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 202, 6);
        assertThat(store.tryAcquireLease("cleanup", "run-1", first, now, now.plusSeconds(60))).isTrue();
        assertThat(store.lease("cleanup")).get().satisfies(l -> {
            assertThat(l.holderProcess()).isEqualTo(first.encode());
            assertThat(l.process()).contains(first);
        });

        assertThat(store.takeOverLease("cleanup", "run-0", "run-2", second, now.plusSeconds(120))).isFalse();
        assertThat(store.takeOverLease("cleanup", "run-1", "run-2", second, now.plusSeconds(120))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "run-2", now.plusSeconds(120), second.encode()));
        assertThat(store.renewLease("cleanup", "run-1", now.plusSeconds(1), now.plusSeconds(61))).isFalse();

        store.releaseLease("cleanup", "run-2");
        assertThat(store.tryAcquireLease("cleanup", "run-3", now, now.plusSeconds(60))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "run-3", now.plusSeconds(60)));
    }

    @Test
    void concurrentLeaseAcquisitionHasOneWinner() throws Exception {
        Instant now = clock.instant();
        ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
        runConcurrently(8, i -> () -> {
            if (store.tryAcquireLease("run", "holder" + i, now, now.plusSeconds(60))) {
                winners.add("holder" + i);
            }
            return null;
        });
        assertThat(winners).hasSize(1);
        assertThat(store.lease("run")).get().extracting(LeaseInfo::holder).isEqualTo(winners.peek());
    }

    // ---- identity and artifact roots -----------------------------------------------------------

    @Test
    void aStoreHasAnIdOfItsOwnThatDoesNotChange() {
        String id = store.storeId();

        assertThat(id).isNotBlank().matches("[0-9a-f]{32}");
        assertThat(store.storeId()).isEqualTo(id);
        assertThat(store.artifactRoot(dev.reclaim.store.RootBinding.DEFAULT_NAME)).isEmpty();
    }

    @Test
    void theFirstBindingOfARootNameStaysUntilAPersonRebindsIt() {
        var first = new dev.reclaim.store.RootBinding("default", "root-1", "file:/a", clock.instant());
        var second = new dev.reclaim.store.RootBinding("default", "root-2", "file:/b", clock.instant().plusSeconds(1));

        assertThat(store.bindArtifactRoot(first)).isEqualTo(first);
        assertThat(store.bindArtifactRoot(second)).isEqualTo(first);
        assertThat(store.artifactRoot("default")).contains(first);

        store.rebindArtifactRoot(second);
        assertThat(store.artifactRoot("default")).contains(second);
        assertThat(store.artifactRoot("other")).isEmpty();
    }

    @Test
    void concurrentFirstBindingsAgreeOnOneRoot() throws Exception {
        List<dev.reclaim.store.RootBinding> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Callable<Object>> binders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var mine = new dev.reclaim.store.RootBinding("default", "root-" + i, "file:/" + i, clock.instant());
            binders.add(() -> seen.add(store.bindArtifactRoot(mine)));
        }
        Concurrently.run(binders);

        assertThat(seen).hasSize(8).containsOnly(store.artifactRoot("default").orElseThrow());
    }

    // ---- API tokens --------------------------------------------------------------------------

    private ApiToken token(String id, String name, String role) {
        return new ApiToken(id, name, role, "hash-of-" + id, clock.instant(), null, false);
    }

    @Test
    void anApiTokenIsStoredWithItsHashAndFoundById() {
        assertThat(store.hasActiveApiTokens()).isFalse();
        ApiToken t = token("t1", "ci", "operator");
        store.insertApiToken(t);

        assertThat(store.findApiToken("t1")).contains(t);
        assertThat(store.findApiToken("nope")).isEmpty();
        assertThat(store.apiTokens()).containsExactly(t);
        assertThat(store.hasActiveApiTokens()).isTrue();
    }

    @Test
    void twoLiveTokensCannotShareANameButARevokedOneFreesIt() {
        store.insertApiToken(token("t1", "ci", "viewer"));
        assertThatThrownBy(() -> store.insertApiToken(token("t2", "ci", "admin")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'ci' already exists");
        assertThat(store.apiTokens()).extracting(ApiToken::id).containsExactly("t1");

        assertThat(store.revokeApiToken("t1")).isTrue();
        store.insertApiToken(token("t2", "ci", "admin"));
        assertThat(store.apiTokens()).extracting(ApiToken::id, ApiToken::revoked)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t1", true), org.assertj.core.groups.Tuple.tuple("t2", false));
    }

    @Test
    void revokingTheLastLiveTokenLeavesNoActiveTokens() {
        store.insertApiToken(token("t1", "ci", "viewer"));
        assertThat(store.revokeApiToken("t1")).isTrue();
        assertThat(store.revokeApiToken("t1")).isTrue();
        assertThat(store.revokeApiToken("missing")).isFalse();
        assertThat(store.hasActiveApiTokens()).isFalse();
        assertThat(store.findApiToken("t1")).get().extracting(ApiToken::revoked).isEqualTo(true);
    }

    @Test
    void touchingATokenRecordsItsLastUseToTheMillisecond() {
        store.insertApiToken(token("t1", "ci", "viewer"));
        Instant used = clock.instant().plusMillis(1234).plusNanos(567);
        assertThat(store.touchApiToken("t1", used)).isTrue();
        assertThat(store.touchApiToken("missing", used)).isFalse();
        assertThat(store.findApiToken("t1")).get().extracting(ApiToken::lastUsedAt)
                .isEqualTo(used.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Runs {@code work.apply(i)} for i in 0..threads-1, each on its own thread, all released at once. */
    protected static void runConcurrently(int threads, java.util.function.IntFunction<Callable<Void>> work) throws Exception {
        List<Callable<Void>> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(work.apply(i));
        }
        Concurrently.run(all);
    }
}
