package dev.reclaim.store;

import java.util.List;

/**
 * Registrations and heartbeats of workers. One of the role ports of a {@link TaskStore}; see
 * docs/architecture.md.
 */
public interface WorkerRegistry {

    /** Inserts or updates a worker's registration and heartbeat. */
    void heartbeat(WorkerInfo worker);

    /** Removes a worker's registration (on clean shutdown). */
    void removeWorker(String workerId);

    /** Every registered worker, live or not. */
    List<WorkerInfo> workers();
}
