package dev.reclaim.testkit;

import dev.reclaim.model.Task;
import dev.reclaim.store.AuditRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link dev.reclaim.store.AuditTrail} rules: the audit is read newest first. What each
 * deletion appends is part of the {@link DeletionQueueContract} and {@link ConsistencyChecksContract}.
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
}
