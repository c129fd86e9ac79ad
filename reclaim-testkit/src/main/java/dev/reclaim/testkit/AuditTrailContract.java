package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Task;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.MarkResult.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@link dev.reclaim.store.AuditTrail} rules: the audit is read newest first, narrowed by task,
 * run, actor and time, a page at a time by position. What each deletion appends is part of the
 * {@link DeletionQueueContract} and {@link ConsistencyChecksContract}.
 */
public abstract class AuditTrailContract extends TaskStoreFixture {
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

    @Test
    void aRunsDeletionsCarryItsIdIntoTheAudit() {
        Task byRun = insert(a.aTask("by run"));
        Task byHand = insert(a.aTask("by hand"));

        deleteAs(byRun, "cleanup-service", "run-1");
        deleteAs(byHand, "alice", null);

        assertThat(store.audit(AuditQuery.newest(10)).items()).extracting(AuditRecord::taskId, AuditRecord::runId)
                .containsExactly(tuple(byHand.id(), null),
                        tuple(byRun.id(), "run-1"));
    }

    @Test
    void eachConditionNarrowsTheLinesAndTheyCombine() {
        Task t1 = insert(a.aTask("one"));
        Task t2 = insert(a.aTask("two"));
        Task t3 = insert(a.aTask("three"));
        deleteAs(t1, "cleanup-service", "run-1");
        clock.advance(Duration.ofHours(1));
        Instant later = clock.instant();
        deleteAs(t2, "cleanup-service", "run-2");
        deleteAs(t3, "alice", null);

        assertThat(taskIds(new AuditQuery(t2.id(), null, null, null, null, 10))).containsExactly(t2.id());
        assertThat(taskIds(new AuditQuery(null, "run-1", null, null, null, 10))).containsExactly(t1.id());
        assertThat(taskIds(new AuditQuery(null, null, null, "alice", null, 10))).containsExactly(t3.id());
        assertThat(taskIds(new AuditQuery(null, null, later, null, null, 10))).containsExactly(t3.id(), t2.id());
        assertThat(taskIds(new AuditQuery(null, null, later, "cleanup-service", null, 10))).containsExactly(t2.id());
        assertThat(taskIds(new AuditQuery(null, "run-1", later, null, null, 10))).isEmpty();
    }

    @Test
    void pagesFollowEachOtherByPositionEvenWhenLinesShareATime() {
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Task t = insert(a.aTask("t" + i));
            deleteAs(t, "cleanup-service", "run-1"); // one clock reading: every line has the same time
            deleted.add(0, t.id());
        }
        List<String> read = new ArrayList<>();
        AuditQuery q = new AuditQuery(null, "run-1", null, null, null, 3);
        AuditPage page;
        int pages = 0;
        do {
            page = store.audit(q);
            page.items().forEach(r -> read.add(r.taskId()));
            q = q.after(page.nextCursor());
            pages++;
        } while (page.nextCursor() != null);

        assertThat(read).containsExactlyElementsOf(deleted);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aLastFullPageSaysNoMoreFollow() {
        for (int i = 0; i < 2; i++) {
            deleteAs(insert(a.aTask("t" + i)), "alice", null);
        }

        assertThat(store.audit(AuditQuery.newest(2)).nextCursor()).isNull();
    }

    @Test
    void aCursorThatNoPageGaveIsRefusedSayingWhatToPass() {
        assertThatThrownBy(() -> new AuditQuery(null, null, null, null, "1' OR '1'='1", 10))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("next_cursor");
        assertThatThrownBy(() -> AuditQuery.newest(0)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("1.." + AuditQuery.MAX_LIMIT);
    }

    private List<String> taskIds(AuditQuery q) {
        return store.audit(q).items().stream().map(AuditRecord::taskId).toList();
    }

    private void deleteAs(Task t, String actor, String runId) {
        DeletionMark mark = DeletionMark.wholeTask(t.id(), reload(t).version()).inRun(runId)
                .because("tested", actor, clock.instant());
        assertThat(store.markForDeletion(mark).outcome()).isEqualTo(Outcome.MARKED);
        purge(List.of(t.id()));
        store.finishDeletion(t.id(), clock.instant()).orElseThrow();
    }
}
