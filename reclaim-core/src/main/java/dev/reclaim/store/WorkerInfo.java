package dev.reclaim.store;

import java.time.Instant;
import java.util.Set;

/**
 * A worker process as it registers itself.
 *
 * @param id          unique per worker process
 * @param host        host name
 * @param pid         operating-system process id
 * @param queues      queues it serves
 * @param slots       how many jobs it runs at once
 * @param startedAt   when it started
 * @param heartbeatAt last heartbeat
 */
public record WorkerInfo(String id, String host, long pid, Set<String> queues, int slots, Instant startedAt,
                         Instant heartbeatAt) {
    public WorkerInfo {
        queues = Set.copyOf(queues);
    }
}
