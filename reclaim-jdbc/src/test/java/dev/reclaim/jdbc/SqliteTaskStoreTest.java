package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.FinishResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.testkit.Concurrently;
import dev.reclaim.testkit.SettableClock;
import dev.reclaim.testkit.TestTasks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only SQLite needs: the file, its journal, several stores and processes on one file. */
class SqliteTaskStoreTest {
    @TempDir
    Path tmp;

    private final SettableClock clock = new SettableClock();
    private final TestTasks a = new TestTasks(clock);

    @Test
    void theDatabaseFileAndItsFoldersAreCreatedWithAWriteAheadLog() throws Exception {
        Path db = tmp.resolve("home/nested/reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            store.insertTask(a.aTask("t").build());
        }
        assertThat(db).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aStoreOpenedReadOnlyReadsEverythingCreatesNothingAndRefusesWritesSayingWhy() throws Exception {
        Path db = tmp.resolve("home/reclaim.db");
        Task t = a.aTask("t").build();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            store.insertTask(t);
        }
        List<Path> before;
        try (var files = Files.list(db.getParent())) {
            before = files.sorted().toList();
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqliteReadOnly(db)) {
            assertThat(store.findTask(t.id())).isPresent();
            assertThat(store.count(TaskQuery.builder().build())).isEqualTo(1);
            assertThatThrownBy(() -> store.insertTask(a.aTask("u").build()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only").hasMessageContaining(db.toString());
        }
        try (var files = Files.list(db.getParent())) {
            assertThat(files.sorted().toList()).isEqualTo(before);
        }
        assertThatThrownBy(() -> JdbcTaskStore.openSqliteReadOnly(tmp.resolve("none/reclaim.db")))
                .isInstanceOf(StoreException.class).hasMessageContaining("no database");
        assertThat(tmp.resolve("none")).doesNotExist();
    }

    @Test
    void aDeletedObjectOfNoTaskLeavesNoQueueRowBehind() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            Instant now = clock.instant();
            assertThat(store.enqueueOrphans(List.of("tasks/0/orphan", "stray.txt"), now)).isEqualTo(2);
            List<PendingDelete> claimed = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));
            assertThat(claimed).hasSize(2);
            store.completePendingDeletes(claimed.stream().map(PendingDelete::id).toList());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pending_deletes")) {
            rs.next();
            // no finish step ever removes an entry of no task (orphans, unmanaged objects, removed models)
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void theStoreNeverHoldsTheWriteLockBetweenTransactions() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = other.createStatement()) {
            Task t = a.aTask("t").build();
            store.insertTask(t);
            store.replaceTask(t.toBuilder().name("renamed").build(), 0);
            store.findTask(t.id());
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE tasks SET name = 'by another process'");
            s.execute("COMMIT");
            assertThat(store.findTask(t.id())).get().extracting(Task::name).isEqualTo("by another process");
        }
    }

    @Test
    void twoStoresOnOneFileNeverClaimAJobTwice() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        int jobs = 120;
        try (JdbcTaskStore first = JdbcTaskStore.openSqlite(db); JdbcTaskStore second = JdbcTaskStore.openSqlite(db)) {
            for (int i = 0; i < jobs; i++) {
                (i % 2 == 0 ? first : second).insertTask(a.aQueuedJob("job" + i, "q").build());
            }
            ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
            Instant now = clock.instant();
            List<Callable<Void>> claimers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JdbcTaskStore store = i % 2 == 0 ? first : second;
                String worker = "w" + i;
                claimers.add(() -> {
                    Optional<Task> t;
                    while ((t = store.claimNext(List.of("q"), worker, now, now.plusSeconds(60))).isPresent()) {
                        claimed.add(t.get().id());
                    }
                    return null;
                });
            }
            Concurrently.run(claimers);
            assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
        }
    }

    @Test
    void separateProcessesClaimingFromOneFileNeverClaimAJobTwice() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        int jobs = 300;
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            for (int i = 0; i < jobs; i++) {
                store.insertTask(a.aQueuedJob("job" + i, "q").build());
            }
        }
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), ClaimingProcess.class.getName(), db.toString(), "p" + i)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process p : processes) {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("ready");
                outputs.add(out);
            }
            for (Process p : processes) {
                OutputStream in = p.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            List<String> claimed = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                String line;
                while ((line = outputs.get(i).readLine()) != null && !line.equals("done")) {
                    claimed.add(line.substring("claimed ".length()));
                }
                assertThat(line).isEqualTo("done");
                assertThat(processes.get(i).waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(processes.get(i).exitValue()).isZero();
            }
            assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void storesOpeningANewFileAtTheSameTimeAllMigrateIt() throws Exception {
        Path db = tmp.resolve("fresh/reclaim.db");
        ConcurrentLinkedQueue<JdbcTaskStore> opened = new ConcurrentLinkedQueue<>();
        List<Callable<Void>> openers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            openers.add(() -> {
                opened.add(JdbcTaskStore.openSqlite(db));
                return null;
            });
        }
        try {
            Concurrently.run(openers);
            assertThat(opened).hasSize(4);
            Task t = a.aTask("t").build();
            opened.peek().insertTask(t);
            for (JdbcTaskStore s : opened) {
                assertThat(s.findTask(t.id())).isPresent();
            }
        } finally {
            opened.forEach(JdbcTaskStore::close);
        }
    }

    @Test
    void aDeletionMarkedBeforeTheStoreWasClosedIsResumedAfterReopening() {
        Path db = tmp.resolve("reclaim.db");
        Task t = a.aTask("t").build();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            store.insertTask(t);
            store.insertArtifacts(List.of(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 7)));
            store.markForDeletion(DeletionMark.wholeTask(t.id(), 0).because("r", "a", clock.instant()));
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            assertThat(store.unfinishedDeletions(10)).containsExactly(t.id());
            List<PendingDelete> entries = store.claimPendingDeletes(null, 10, clock.instant(), clock.instant().plusSeconds(60));
            assertThat(entries).extracting(PendingDelete::storageKey).containsExactly("t/a");
            store.completePendingDeletes(entries.stream().map(PendingDelete::id).toList());
            assertThat(store.finishDeletion(t.id(), clock.instant())).contains(new FinishResult(t.id(), true, 1, 1, 7));
        }
    }


    @Test
    void afterAStatisticsRefreshABroadStatusFilterPagesAlongTheSortIndexInsteadOfSortingEveryPage() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        // The Cleanup Service's selection: archived, any deletable status, oldest archived first.
        TaskQuery selection = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED))
                .statuses(EnumSet.of(TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED))
                .archivedAt(List.of(new TimeCondition(TimeCondition.Op.LT,
                        clock.instant().plusSeconds(1))))
                .orderBy(List.of(new Order(TaskField.ARCHIVED_AT, false)))
                .pageSize(500).build();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            List<Task> batch = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                batch.add(a.anArchivedTask("t" + i, clock.instant()).status(i % 3 == 0 ? TaskStatus.CREATED : TaskStatus.COMPLETED)
                        .build());
            }
            store.insertTasks(batch);
        }
        // What a sampled ANALYZE left at 1,000,000 tasks: 1,001 tasks per status where there were
        // 500,000. With the single-column status index of then, the planner read every matching task
        // through it and sorted them for each page. Since the (status, id) index and the implied
        // archived_at bound it no longer does, even with these figures; the plans below still must hold.
        sampledStatistics(db, Map.of("ix_tasks_status_id", "20000 1001 1"));
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {

            store.refreshStatistics();

            assertThat(String.join("\n", store.plan(selection))).as("readers use the refreshed statistics")
                    .contains("ix_tasks_key_archived_at").doesNotContain("TEMP B-TREE");
            String cursor = store.query(selection).nextCursor();
            assertThat(String.join("\n", store.plan(selection.toBuilder().cursor(cursor).build())))
                    .as("a later page seeks to its cursor in the expression index instead of scanning from the start")
                    .contains("SEARCH t USING INDEX ix_tasks_key_archived_at");
        }
    }

    @Test
    void afterAStatisticsRefreshListingsByProjectAndStatusOrArchivedTimeReadOnlyAPageOfTheirIndex() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        TaskStatus[] statuses = {TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.PUBLISHED};
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            List<Task> batch = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                Task.Builder b = a.aTask("t" + i).project("p" + i % 20).status(statuses[(i / 20) % statuses.length]);
                batch.add((i / 40) % 2 == 0 ? b.systemTags(Set.of(Task.ARCHIVED)).archivedAt(clock.instant()).build()
                        : b.build());
            }
            store.insertTasks(batch);
        }
        // What a sampled ANALYZE left at 100,000 tasks: 501 tasks a project on the (project, time, id)
        // indexes where there were 5,000 (the (project, id) index, analysed in full, said 4,762).
        sampledStatistics(db, Map.of("ix_tasks_project_created", "20000 50 1 1",
                "ix_tasks_project_last_update", "20000 50 1 1", "ix_tasks_project_id", "20000 1000 1"));
        TaskQuery projectAndStatus = TaskQuery.builder().projects(List.of("p3"))
                .statuses(List.of(TaskStatus.COMPLETED)).pageSize(50).build();
        TaskQuery archivedOldestFirst = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED))
                .orderBy(List.of(new Order(TaskField.ARCHIVED_AT, false)))
                .pageSize(50).build();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            assertThat(String.join("\n", store.plan(projectAndStatus))).as("the misjudged plan this guards against")
                    .contains("TEMP B-TREE");

            store.refreshStatistics();

            assertThat(String.join("\n", store.plan(projectAndStatus)))
                    .as("the project's tasks in id order, no sort of all of them for each page")
                    .contains("ix_tasks_project_id").doesNotContain("TEMP B-TREE");
            assertThat(String.join("\n", store.plan(archivedOldestFirst)))
                    .as("the first page seeks past the unarchived tasks (archived_at NULL) instead of scanning them")
                    .contains("SEARCH t USING INDEX ix_tasks_key_archived_at").doesNotContain("SCAN t");
            assertThat(store.query(archivedOldestFirst).items()).hasSize(50).allMatch(Task::isArchived);
        }
    }

    @Test
    void anArchivedTaskStoredWithoutArchivedAtGetsItsStatusChangeTimeOnMigration() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        Task t = a.anArchivedTask("old", clock.instant()).statusChangedAt(clock.instant().minusSeconds(3600)).build();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            store.insertTask(t);
        }
        // A row as a hand edit or an import could leave it, in a database from before V7.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE tasks SET archived_at = NULL");
            // back to the schema of V6: V7 and the later migrations (which run again as they are,
            // but for the columns V10, V11, V13, V14 and V16 add, and V11's index) are undone
            s.execute("DELETE FROM flyway_schema_history WHERE CAST(version AS INTEGER) >= 7");
            undoAddedColumns(s);
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            assertThat(store.findTask(t.id())).get().extracting(Task::archivedAt).isEqualTo(t.statusChangedAt());
        }
    }

    @Test
    void theDeletionsLookupsOfArtifactsUseIndexesThatMarkingLeavesAlone() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            tasksWithTwoArtifacts(store, 200);
            store.refreshStatistics();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
            assertThat(plan(s, "SELECT 1 FROM artifacts WHERE storage_key = 'x' AND state = 'LIVE'"))
                    .contains("USING INDEX ix_artifacts_storage_key (storage_key=?)");
            assertThat(plan(s, "SELECT id FROM artifacts WHERE task_id = 'x' AND state IN ('LIVE', 'PENDING')"))
                    .contains("USING INDEX ix_artifacts_task (task_id=?)");
            assertThat(plan(s, "SELECT task_id FROM artifacts WHERE state = 'DELETING' AND task_id IS NOT NULL"))
                    .contains("ix_artifacts_deleting");
            // marking changes the state alone: only the partial DELETING index has it among its columns or terms
            try (ResultSet rs = s.executeQuery("SELECT i.name, c.name FROM sqlite_master i, pragma_index_info(i.name) c "
                    + "WHERE i.type = 'index' AND i.tbl_name = 'artifacts' AND c.name = 'state'")) {
                assertThat(rs.next()).as("an artifacts index with the state as a column").isFalse();
            }
        }
    }

    @Test
    void abandonedUploadsAreFoundThroughThePartialIndexOfPendingArtifacts() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            tasksWithTwoArtifacts(store, 200);
            store.refreshStatistics();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(plan(s, "SELECT " + TaskRows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.state = 'PENDING' "
                    + "AND a.created_at < 5 ORDER BY a.created_at, a.id LIMIT 10")).contains("ix_artifacts_pending")
                    .doesNotContain("SCAN a\n");
        }
    }

    @Test
    void aNewStoreIsPlannedWithSeededStatisticsSoTheCleanupSelectionPagesAlongTheSortIndexBeforeAnyRefresh() {
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"))) {
            List<Task> batch = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                batch.add(a.anArchivedTask("t" + i, clock.instant()).status(i % 3 == 0 ? TaskStatus.CREATED : TaskStatus.COMPLETED)
                        .build());
            }
            store.insertTasks(batch);
            // the Cleanup Service's selection with force_delete and age basis status_changed: without
            // any statistics the planner read every matching task and sorted them for each page
            TaskQuery selection = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED))
                    .statuses(EnumSet.of(TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED))
                    .statusChanged(List.of(new TimeCondition(TimeCondition.Op.LT,
                            clock.instant().plusSeconds(1))))
                    .orderBy(List.of(new Order(TaskField.STATUS_CHANGED, false)))
                    .pageSize(500).build();

            assertThat(store.hasStatistics()).isTrue();
            assertThat(String.join("\n", store.plan(selection))).contains("ix_tasks_key_status_changed")
                    .doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    void theSeededStatisticsGiveWayToTheCatalogsOwnAtTheFirstRefresh() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            store.insertTask(a.aTask("t").build());
            assertThat(taskRowsCounted(db)).as("the seeded catalog's task count").isEqualTo(SEEDED_TASKS);

            store.refreshStatistics();

            assertThat(taskRowsCounted(db)).isEqualTo(1);
        }
    }

    @Test
    void upgradingAStoreThatHasStatisticsAlreadyLeavesThemAlone() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            store.insertTask(a.aTask("t").build());
            store.refreshStatistics();
        }
        // as if the store were made before the seeding migration: it and every later one run on the next open
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            // V9, V10 and every later migration (those that add no column run again as they are)
            assertThat(s.executeUpdate("DELETE FROM flyway_schema_history WHERE CAST(version AS INTEGER) >= 9")).isGreaterThanOrEqualTo(2);
            undoAddedColumns(s);
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            assertThat(taskRowsCounted(db)).isEqualTo(1);
        }
    }

    /** Tasks in the catalog whose figures a new store is seeded with (V9__seed_planner_statistics.sql). */
    private static final long SEEDED_TASKS = 100_000;

    /** The task count the planner's statistics hold (the first figure of the task id index's row). */
    private static long taskRowsCounted(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT stat FROM sqlite_stat1 WHERE idx = 'sqlite_autoindex_tasks_1'")) {
            assertThat(rs.next()).as("statistics for the task id index").isTrue();
            return Long.parseLong(rs.getString(1).split(" ")[0]);
        }
    }

    @Test
    void claimingTheEntriesOfSomeTasksReadsOnlyThoseTasksEntriesWhateverTheStatisticsSay() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        List<DeletionMark> marks = new ArrayList<>();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            for (Task t : tasksWithTwoArtifacts(store, 200)) {
                marks.add(DeletionMark.wholeTask(t.id(), t.version()).because("r", "a", clock.instant()));
            }
            // as a cleanup run does: statistics taken while the queue is empty, then a page marked
            store.refreshStatistics();
            store.markAllForDeletion(marks);
        }
        SqliteDialect sqlite = new SqliteDialect();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThat(plan(s, PurgeSql.claimSql(sqlite, 3).replace(" + 0", "")))
                    .as("the misjudged plan this guards against: every due entry of the queue walked")
                    .contains("ix_pending_deletes_due");
            assertThat(plan(s, PurgeSql.claimSql(sqlite, 3))).contains("USING INDEX ix_pending_deletes_task (task_id=? AND state=?)")
                    .doesNotContain("TEMP B-TREE");
            assertThat(plan(s, PurgeSql.claimSql(sqlite, -1))).as("the whole queue, oldest due first")
                    .contains("USING INDEX ix_pending_deletes_due").doesNotContain("TEMP B-TREE");
        }
    }

    /** Inserts {@code n} tasks with the artifacts t{i}/a and t{i}/b each. */
    private List<Task> tasksWithTwoArtifacts(JdbcTaskStore store, int n) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Task t = a.aTask("t" + i).build();
            store.insertTask(t);
            store.insertArtifacts(List.of(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t" + i + "/a", 1),
                    a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t" + i + "/b", 1)));
            tasks.add(t);
        }
        return tasks;
    }

    private static String plan(Statement s, String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                out.append(rs.getString("detail")).append('\n');
            }
        }
        return out.toString();
    }

    /** Runs a sampled ANALYZE, then overwrites the given indexes' statistics with what sampling once produced. */
    private static void sampledStatistics(Path db, Map<String, String> stats) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA analysis_limit = 1000");
            s.execute("ANALYZE");
            for (var e : stats.entrySet()) {
                s.execute("UPDATE sqlite_stat1 SET stat = '" + e.getValue() + "' WHERE idx = '" + e.getKey() + "'");
            }
        }
    }

    /** Undoes migration V11 (artifact checksums, the index of PENDING artifacts), so it can run again. */
    /**
     * Undoes what the migrations from V10 on add that would not run again as they are: their columns
     * (and the indexes on them). A store rolled back to an older schema then migrates forward again.
     */
    private static void undoAddedColumns(Statement s) throws SQLException {
        s.execute("ALTER TABLE audit DROP COLUMN task_created_at");
        s.execute("ALTER TABLE pending_deletes DROP COLUMN objects");
        s.execute("ALTER TABLE artifacts DROP COLUMN kept_on_request");
        s.execute("ALTER TABLE pending_deletes DROP COLUMN claimed_by");
        s.execute("ALTER TABLE pending_deletes DROP COLUMN claims");
        s.execute("ALTER TABLE leases DROP COLUMN holder_process");
        s.execute("DROP INDEX ux_tasks_import_key");
        s.execute("DROP INDEX ix_artifacts_task_kind_name");
        s.execute("ALTER TABLE tasks DROP COLUMN import_key");
        s.execute("DROP INDEX ix_audit_run_at");
        s.execute("DROP INDEX ix_audit_actor_at");
        s.execute("ALTER TABLE audit DROP COLUMN run_id");
        s.execute("ALTER TABLE tasks DROP COLUMN delete_run");
        undoV11(s);
    }

    private static void undoV11(Statement s) throws SQLException {
        s.execute("DROP INDEX ix_artifacts_pending");
        s.execute("ALTER TABLE artifacts DROP COLUMN sha256");
    }

    /**
     * Ordering by size is knowingly not index-backed (no index on task_usage(bytes): a write cost not
     * paid yet), so a page sorts the matching tasks; each task's usage is still one key lookup, and
     * a filter still narrows the tasks through its own index first.
     */
    @Test
    void orderingBySizeSortsTheMatchingTasksAndLooksUpEachTasksUsageByKey() {
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"))) {
            TaskQuery bySize = TaskQuery.builder().projects(List.of("p")).orderBy(List.of(Order.parse("-size"))).build();
            String plan = String.join("\n", store.plan(bySize));
            assertThat(plan).contains("TEMP B-TREE").contains("ix_tasks_project")
                    .containsPattern("SEARCH u USING PRIMARY KEY \\(task_id=\\?\\)");
            assertThat(String.join("\n", store.plan(TaskQuery.builder().projects(List.of("p")).build())))
                    .as("other orderings do not join task_usage").doesNotContain(" u ");
        }
    }
}
