package dev.reclaim.testkit;

import dev.reclaim.store.TaskStore;
import org.junit.jupiter.api.Nested;

/**
 * The {@link TaskStore} contract: every backend's tiny subclass runs these tests against a fresh,
 * empty store. Times come from a {@link SettableClock}; nothing sleeps. The suite assumes nothing
 * about the database except that the store keeps instants to the millisecond.
 *
 * <p>The rules are kept by role port, one contract class each on the fixture of
 * {@link TaskStoreFixture}: {@link TaskCatalogContract}, {@link JobQueueContract},
 * {@link ArtifactCatalogContract}, {@link DeletionQueueContract}, {@link AuditTrailContract},
 * {@link ConsistencyChecksContract}, {@link RootRegistryContract}, {@link TokenStoreContract},
 * {@link WorkerRegistryContract}, {@link LeasesContract}, {@link StorageUsageContract} and
 * {@link ExternalJobsContract}. This class runs every one of them as a
 * {@code @Nested} group, each test on a store from this class's {@link #newStore()}, so a backend
 * passes them all with one subclass. The run history and the planner's statistics have no rules of
 * their own here: {@link CleanupServiceContract} and the backends' tests exercise them.
 */
public abstract class TaskStoreContract {
    /** A fresh, empty store, used by one test and closed after it. */
    protected abstract TaskStore newStore();

    @Nested
    class TaskCatalog extends TaskCatalogContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class JobQueue extends JobQueueContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class ArtifactCatalog extends ArtifactCatalogContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class DeletionQueue extends DeletionQueueContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class ExternalJobs extends ExternalJobsContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class StorageUsage extends StorageUsageContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class AuditTrail extends AuditTrailContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class ConsistencyChecks extends ConsistencyChecksContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class RootRegistry extends RootRegistryContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class TokenStore extends TokenStoreContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class WorkerRegistry extends WorkerRegistryContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class Leases extends LeasesContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }

    @Nested
    class BulkArtifacts extends BulkArtifactsContract {
        @Override
        protected TaskStore newStore() {
            return TaskStoreContract.this.newStore();
        }
    }
}
