package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskSummary;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.MarkResult.Outcome;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link dev.reclaim.store.TaskCatalog} rules: tasks are inserted, read back and replaced
 * whole under an expected version; queries filter, order and page them.
 */
public abstract class TaskCatalogContract extends TaskStoreFixture {
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

    // ---- queries -----------------------------------------------------------------------------

    private static List<TimeCondition> when(String... conditions) {
        return Arrays.stream(conditions).map(c -> TimeCondition.parse("time", c)).toList();
    }

    private Instant ms(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

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
        Map<String, String> idByName = new LinkedHashMap<>();
        for (String name : NAMES) {
            idByName.put(name, insert(a.aTask(name)).id());
        }
        for (String pattern : PATTERNS) {
            Pattern re2 = Pattern.compile(pattern);
            List<String> expected = NAMES.stream().filter(n -> re2.matcher(n).find()).map(idByName::get).toList();
            assertThat(ids(q().namePattern(pattern))).as("names matching %s", pattern).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void namePatternsBeyondTheSyntaxEveryEngineSharesAreRefusedSayingWhyAndWhatToWriteInstead() {
        insert(a.aTask("eval"));
        Map<String, String> reasons = new LinkedHashMap<>();
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

    // ---- size --------------------------------------------------------------------------------

    @Test
    void sizeOrdersByLiveBytesWithTasksWithoutLiveArtifactsAtZeroAndTheIdBreakingTies() {
        Task big = insert(a.aTask("big"));
        add(a.anArtifact(big.id(), ArtifactKind.ARTIFACT, "big/a", 300));
        add(a.anArtifact(big.id(), ArtifactKind.ARTIFACT, "big/b", 200));
        Task none = insert(a.aTask("none"));
        Task small1 = insert(a.aTask("small"));
        add(a.aModel(small1.id(), "small1/m", 10));
        Task pendingOnly = insert(a.aTask("pending"));
        add(a.aPendingArtifact(pendingOnly.id(), ArtifactKind.ARTIFACT, "pending/x", 1_000));
        Task small2 = insert(a.aTask("small"));
        add(a.aModel(small2.id(), "small2/m", 10));

        assertThat(ids(q().orderBy(List.of(Order.parse("size")))))
                .containsExactly(none.id(), pendingOnly.id(), small1.id(), small2.id(), big.id());
        assertThat(ids(q().orderBy(List.of(Order.parse("-size")))))
                .containsExactly(big.id(), small2.id(), small1.id(), pendingOnly.id(), none.id());
        assertThat(ids(q().orderBy(List.of(Order.parse("-size"), Order.parse("name")))))
                .as("a second key orders ties of size").containsExactly(big.id(), small1.id(), small2.id(),
                        none.id(), pendingOnly.id());
        // the order is the one the sizes a listing shows (liveBytesOf) give
        List<Long> shown = ids(q().orderBy(List.of(Order.parse("size")))).stream()
                .map(id -> store.liveBytesOf(List.of(id)).get(id)).toList();
        assertThat(shown).containsExactly(0L, 0L, 10L, 10L, 500L);
    }

    @Test
    void sizeFollowsArtifactsAsTheyComeAndGo() {
        Task grows = insert(a.aTask("grows"));
        Task shrinks = insert(a.aTask("shrinks"));
        add(a.aModel(shrinks.id(), "shrinks/m", 100));
        add(a.aModel(grows.id(), "grows/m", 50));
        assertThat(ids(q().orderBy(List.of(Order.parse("-size"))))).containsExactly(shrinks.id(), grows.id());

        assertThat(store.markForDeletion(artifactsOnly(reload(shrinks))).outcome()).isEqualTo(Outcome.MARKED);
        add(a.aModel(grows.id(), "grows/m2", 1));

        assertThat(ids(q().orderBy(List.of(Order.parse("-size"))))).containsExactly(grows.id(), shrinks.id());
        assertThat(store.liveBytesOf(List.of(shrinks.id(), grows.id()))).containsEntry(shrinks.id(), 0L)
                .containsEntry(grows.id(), 51L);
    }

    @Test
    void keysetPagingBySizeVisitsEveryRowOnceInOrder() {
        for (int i = 0; i < 11; i++) {
            Task t = insert(a.aTask("t" + (i % 3)));
            for (int j = 0; j < i % 4; j++) {
                add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, t.id() + "/" + j, 100L * (i % 3) + 7));
            }
        }
        for (List<String> order : List.of(List.of("size"), List.of("-size"), List.of("size", "-name"),
                List.of("-size", "-created"))) {
            List<Order> orderBy = order.stream().map(Order::parse).toList();
            List<String> expected = ids(q().orderBy(orderBy));
            List<String> visited = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<Task> page = store.query(q().orderBy(orderBy).pageSize(2).cursor(cursor).build());
                page.items().forEach(t -> visited.add(t.id()));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null && pages < 100);
            assertThat(visited).as("keyset walk ordered by %s", order).containsExactlyElementsOf(expected).hasSize(11);
        }
        List<String> bySize = ids(q().orderBy(List.of(Order.parse("size"))));
        List<Long> sizes = bySize.stream().map(id -> store.liveBytesOf(List.of(id)).get(id)).toList();
        assertThat(sizes).as("sizes 0, 7, 14, 21, 107, ... in ascending order").isSorted().contains(0L, 7L, 321L);
    }

    @Test
    void aCursorMadeForSizeOrderingOnlyContinuesSizeOrdering() {
        for (int i = 0; i < 3; i++) {
            Task t = insert(a.aTask("t" + i));
            add(a.aModel(t.id(), t.id() + "/m", i));
        }
        String cursor = store.query(q().orderBy(List.of(Order.parse("-size"))).pageSize(1).build()).nextCursor();
        assertThatThrownBy(() -> store.query(q().orderBy(List.of(Order.parse("size"))).cursor(cursor).pageSize(1).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("-size");
        assertThat(store.query(q().orderBy(List.of(Order.parse("-size"))).cursor(cursor).pageSize(5).build()).items())
                .hasSize(2);
    }

    @Test
    void summarizeCountsTheMatchingTasksAndAddsTheirLiveBytesWhateverThePaging() {
        Task a1 = insert(a.aTask("a1").project("a"));
        add(a.aModel(a1.id(), "a1/m", 1_000));
        add(a.anArtifact(a1.id(), ArtifactKind.ARTIFACT, "a1/x", 24));
        add(a.aPendingArtifact(a1.id(), ArtifactKind.ARTIFACT, "a1/pending", 5_000));
        Task a2 = insert(a.aTask("a2").project("a"));
        add(a.aModel(a2.id(), "a2/m", 1));
        insert(a.aTask("a3").project("a"));
        Task b1 = insert(a.aTask("b1").project("b"));
        add(a.aModel(b1.id(), "b1/m", 70_000_000_000L));
        Task doomed = insert(a.aTask("doomed").project("a"));
        add(a.aModel(doomed.id(), "doomed/m", 9));
        assertThat(store.markForDeletion(whole(reload(doomed))).outcome()).isEqualTo(Outcome.MARKED);

        assertThat(store.summarize(q().projects(List.of("a")).pageSize(1).page(2).orderBy(List.of(Order.parse("-size")))
                .build())).isEqualTo(new TaskSummary(3, 1_025));
        assertThat(store.summarize(q().build())).as("bytes beyond 2^32 add up")
                .isEqualTo(new TaskSummary(4, 70_000_001_025L));
        assertThat(store.summarize(q().projects(List.of("none")).build())).isEqualTo(new TaskSummary(0, 0));
        assertThat(store.summarize(q().projects(List.of("a")).build()).count())
                .isEqualTo(store.count(q().projects(List.of("a")).build()));
    }
}
