package dev.reclaim.testkit;

import dev.reclaim.store.WorkerInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link dev.reclaim.store.WorkerRegistry} rules: a heartbeat registers or updates a worker.
 */
public abstract class WorkerRegistryContract extends TaskStoreFixture {
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
}
