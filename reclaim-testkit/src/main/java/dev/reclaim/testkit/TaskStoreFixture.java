package dev.reclaim.testkit;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.Task;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.FinishResult;
import dev.reclaim.store.MarkResult.Outcome;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.TaskStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link TaskStore} contract class shares: a fresh, empty store per test from
 * {@link #newStore()}, closed after it; a {@link SettableClock} and the {@link TestTasks} builders on
 * it; and helpers that insert, reload, mark and purge. Times come from the clock; nothing sleeps.
 * The contracts assume nothing about the database except that the store keeps instants to the
 * millisecond.
 */
public abstract class TaskStoreFixture {
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
        return DeletionMark.wholeTask(t.id(), t.version()).because("tested", "tester", clock.instant());
    }

    protected DeletionMark artifactsOnly(Task t) {
        return DeletionMark.allArtifacts(t.id(), t.version()).because("job canceled", "tester", clock.instant());
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
        return Arrays.stream(tasks).map(Task::id).toList();
    }

    protected static TaskQuery.Builder q() {
        return TaskQuery.builder();
    }

    /**
     * A producer with a 5-byte model, deleted (mark, purge, finish) while tasks named
     * {@code userNames} use the model: the model is left detached, and its users are named.
     */
    protected DetachedModelAndUsers detachedModelOf(String name, boolean published, String... userNames) {
        List<Task.Builder> users = Arrays.stream(userNames).map(a::aTask).toList();
        Task producer = insert(a.aTask(name));
        Artifact model = add(a.aModel(producer.id(), name + "/model", 5).withPublished(published));
        Map<String, Task> created = new LinkedHashMap<>();
        for (Task.Builder u : users) {
            Task user = insert(u.inputModels(List.of(model.id())));
            created.put(user.name(), user);
        }
        deleteCompletely(producer);
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::taskId).isNull();
        return new DetachedModelAndUsers(model, created);
    }

    /** A model {@link #detachedModelOf} left detached, and the tasks that used it by their names. */
    protected record DetachedModelAndUsers(Artifact model, Map<String, Task> users) {
        /** The user named {@code name}, as inserted. */
        public Task user(String name) {
            Task user = users.get(name);
            if (user == null) {
                throw new IllegalArgumentException("no user named " + name + " among " + users.keySet());
            }
            return user;
        }
    }

    /** Runs {@code work.apply(i)} for i in 0..threads-1, each on its own thread, all released at once. */
    protected static void runConcurrently(int threads, IntFunction<Callable<Void>> work) throws Exception {
        List<Callable<Void>> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(work.apply(i));
        }
        Concurrently.run(all);
    }
}
