package dev.reclaim;

import dev.reclaim.audit.AuditLog;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.usage.UsageReports;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.AbandonedWrites;
import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.DeleterSettings;
import dev.reclaim.delete.Sleeper;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.holds.Holds;
import dev.reclaim.imports.Importer;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.FunctionRegistry;
import dev.reclaim.jobs.Jobs;
import dev.reclaim.jobs.external.BatchExecutor;
import dev.reclaim.jobs.LocalSignals;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Names;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.MountedStores;
import dev.reclaim.store.RootBinding;
import dev.reclaim.store.TaskStore;
import dev.reclaim.tasks.ArtifactDeletions;
import dev.reclaim.tasks.Tasks;
import dev.reclaim.tokens.ApiTokens;
import dev.reclaim.worker.WorkerPool;
import dev.reclaim.worker.WorkerSettings;
import dev.reclaim.worker.Workers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Reclaim instance: the two stores, the clock, the deletion engine, the job API and the
 * worker pools of this process. Build it with {@link #builder()}; close it to stop its workers
 * and release the stores.
 *
 * <pre>{@code
 * try (Reclaim r = Reclaim.builder().taskStore(tasks).artifactStore(files).stagingRoot(dir).build()) {
 *     JobHandle job = r.jobs().submit(FunctionJob.of("train", ctx -> 42), ComputeContext.local());
 *     JobResults results = r.jobs().results(job.id(), null, null);
 * }
 * }</pre>
 */
public final class Reclaim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reclaim.class);

    /**
     * How long an upload may go unfinished before its leftovers count as abandoned (its writer
     * died): PENDING artifact records registered this long ago, and temp files untouched for this
     * long. fsck reports them, and {@code fsck --repair} and the Cleanup Service remove them.
     */
    public static final Duration DEFAULT_ABANDONED_WRITE_GRACE = Duration.ofHours(1);

    private final TaskStore tasks;
    private final MountedStores artifacts;
    private final Clock clock;
    private final RootBinding artifactRoot;
    private final Path stagingRoot;
    private final Deleter deleter;
    private final String user;
    private final Jobs jobs;
    private final Tasks tasksApi;
    private final Importer importer;
    private final CleanupService cleanupService;
    private final AbandonedWrites abandonedWrites;
    private final Workers workers;
    private final ApiTokens tokens;
    private final AuditLog audit;
    private final UsageReports usage;
    private final Holds holds;
    private final ArtifactDeletions artifactDeletions;
    private final MeterRegistry meters;
    private final Sleeper sleeper;
    private final Duration abandonedWriteGrace;

    private Reclaim(Builder b) {
        this.tasks = Objects.requireNonNull(b.tasks, "taskStore");
        ArtifactStore defaultRoot = Objects.requireNonNull(b.artifacts, "artifactStore");
        this.clock = b.clock;
        // before anything is written anywhere: a root that is not this task store's is refused untouched.
        // A read-only instance can neither write nor delete, and cannot claim or adopt a root either.
        this.artifactRoot = b.readOnly ? tasks.artifactRoot(RootBinding.DEFAULT_NAME).orElse(null)
                : ArtifactRoots.verify(tasks, defaultRoot, clock);
        if (!b.readOnly) {
            // a named store is used only when its marker and its binding agree; it is never claimed here
            b.stores.forEach((name, store) -> ArtifactRoots.verify(tasks, name, store, clock));
        }
        this.artifacts = MountedStores.of(defaultRoot, b.stores);
        this.stagingRoot = Objects.requireNonNull(b.stagingRoot, "stagingRoot").toAbsolutePath();
        if (!b.readOnly) {
            try {
                Files.createDirectories(stagingRoot);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create staging folder " + stagingRoot, e);
            }
        }
        this.user = b.user;
        this.meters = b.meters;
        this.sleeper = b.sleeper;
        this.abandonedWriteGrace = b.abandonedWriteGrace;
        String instanceId = Ids.next(clock.instant());
        this.deleter = new Deleter(tasks, artifacts, clock, b.deleterSettings, b.sleeper);
        this.abandonedWrites = new AbandonedWrites(tasks, artifacts, deleter, clock, abandonedWriteGrace);
        this.cleanupService = new CleanupService(tasks, artifacts, deleter, abandonedWrites, clock, meters, instanceId);
        this.workers = new Workers(tasks, artifacts, deleter, cleanupService, clock, sleeper, stagingRoot, b.workerSettings,
                instanceId);
        b.executors.forEach(workers::addExecutor);
        this.jobs = new Jobs(tasks, artifacts, deleter, workers, stagingRoot, clock, user);
        this.tokens = new ApiTokens(tasks, clock);
        this.audit = new AuditLog(tasks);
        this.usage = new UsageReports(tasks, clock);
        this.tasksApi = new Tasks(tasks, artifacts, deleter, workers, clock, user, abandonedWriteGrace);
        this.holds = new Holds(tasks, clock, user);
        this.artifactDeletions = new ArtifactDeletions(tasks, deleter, clock, user);
        this.importer = new Importer(tasks, artifacts, clock, user);
        if (!b.readOnly) {
            try {
                ServiceTask.ensure(tasks, clock.instant(), "reclaim");
            } catch (StoreException e) {
                // A damaged database must still open far enough for fsck to say what is wrong; the
                // next instance built on a sound database creates the task.
                LOG.warn("cannot create the Cleanup Service task: {}", e.getMessage());
            }
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The job API. */
    public Jobs jobs() { return jobs; }

    /** The task catalog API. */
    public Tasks tasks() { return tasksApi; }

    /** Single artifacts of a task, deleted through the deletion engine with the task rules. */
    public ArtifactDeletions artifactDeletions() { return artifactDeletions; }

    /** Holds on tasks and artifacts: what no rule, run or delete without force deletes. */
    public Holds holds() { return holds; }

    /** Imports existing trees of named artifact stores (MLflow, ClearML, a pattern) as tasks and artifacts. */
    public Importer imports() { return importer; }

    /** The Cleanup Service. */
    public CleanupService cleanup() { return cleanupService; }

    /** Where this instance's meters are registered (the server exposes it at {@code /metrics}). */
    public MeterRegistry meterRegistry() { return meters; }

    /** How this instance waits (retry back-off, the Cleanup Service between runs); tests advance a clock instead. */
    public Sleeper sleeper() { return sleeper; }

    /** The deletion engine. */
    public Deleter deleter() { return deleter; }

    /** A consistency check of this instance's stores ({@link Fsck#verifyingChecksums()} for a deeper one). */
    public Fsck fsck() {
        return new Fsck(tasks, artifacts, deleter, abandonedWrites, clock, user);
    }

    /** Leftovers of unfinished uploads in this instance's stores. */
    public AbandonedWrites abandonedWrites() { return abandonedWrites; }

    /** The worker pools of this process. */
    public Workers workers() { return workers; }

    /** The HTTP API's bearer tokens: create, list, revoke, authenticate. */
    public ApiTokens tokens() { return tokens; }

    /** The audit trail and the Cleanup Service runs behind it, to read. */
    public AuditLog audit() { return audit; }

    /** Where the bytes are: stored objects and bytes by group, the largest tasks and projects. */
    public UsageReports usage() { return usage; }

    /** The metadata store. */
    public TaskStore taskStore() { return tasks; }

    /**
     * The object store every service uses: the default root and the named artifact stores, by
     * recorded key ({@link MountedStores}).
     */
    public ArtifactStore artifactStore() { return artifacts; }

    /** The names of the artifact stores this instance was built with, besides the default root, in order. */
    public Set<String> storeNames() { return artifacts.storeNames(); }

    /**
     * Where each store of this instance is ({@link ArtifactStore#describe()}): {@link RootBinding#DEFAULT_NAME}
     * first, then the named stores in name order.
     */
    public Map<String, String> storeLocations() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(RootBinding.DEFAULT_NAME, artifacts.defaultStore().describe());
        artifacts.named().forEach((name, store) -> out.put(name, store.describe()));
        return out;
    }

    /** The artifact roots bound to the task store (the default root's and the named stores'), by name. */
    public List<RootBinding> artifactRoots() { return tasks.artifactRoots(); }

    /**
     * The artifact root this instance uses, verified as this task store's when the instance was built;
     * for a read-only instance the store's binding as recorded (null if none), not verified.
     */
    public RootBinding artifactRoot() { return artifactRoot; }

    /** The time source. */
    public Clock clock() { return clock; }

    /** Folder where running jobs write their outputs before they are registered. */
    public Path stagingRoot() { return stagingRoot; }

    /** In-process signals between submitters, workers and waiters. */
    public LocalSignals signals() { return workers.signals(); }

    /** Functions of Java jobs submitted in this process. */
    public FunctionRegistry functions() { return workers.functions(); }

    /** The user recorded as owner and actor. */
    public String user() { return user; }

    /** How long an unfinished upload is left alone before it counts as abandoned ({@link Builder#abandonedWriteGrace}). */
    public Duration abandonedWriteGrace() { return abandonedWriteGrace; }

    /** Worker timings used by this instance (lease timeout decides UNDETERMINED). */
    public WorkerSettings workerSettings() { return workers.settings(); }

    /** The private queue of this process: Java function jobs and in-process runs wait here. */
    public String localQueue() {
        return workers.localQueue();
    }

    /** Starts (once) and returns the worker pool that serves this process's private queue. */
    public WorkerPool localWorkers() {
        return workers.localPool();
    }

    /** Starts a worker pool with the given settings; it stops when this instance closes. */
    public WorkerPool startWorkers(WorkerSettings settings) {
        return workers.start(settings);
    }

    /** Stops one pool started by {@link #startWorkers}. */
    public void stopWorkers(WorkerPool pool) {
        workers.stop(pool);
    }

    /** The pools of this process. */
    public List<WorkerPool> pools() {
        return workers.pools();
    }

    /** True when a worker that serves {@code queue} heartbeated within the lease timeout. */
    public boolean hasLiveWorker(String queue) {
        return workers.hasLiveWorker(queue);
    }

    /** Stops this process's workers (requeueing what they run), then closes the stores. */
    @Override
    public void close() {
        workers.close();
        deleter.close();
        try {
            artifacts.close();
        } finally {
            tasks.close();
        }
    }

    /** Builder; values are validated as they are set. */
    public static final class Builder {
        private TaskStore tasks;
        private ArtifactStore artifacts;
        private final Map<String, ArtifactStore> stores = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Path stagingRoot;
        private DeleterSettings deleterSettings = DeleterSettings.defaults();
        private Sleeper sleeper = Sleeper.REAL;
        private WorkerSettings workerSettings = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
        private String user = System.getProperty("user.name", "unknown");
        private final List<BatchExecutor> executors = new ArrayList<>();
        private MeterRegistry meters;
        private boolean readOnly;
        private Duration abandonedWriteGrace = DEFAULT_ABANDONED_WRITE_GRACE;

        private Builder() {
        }

        /**
         * How long an upload may go unfinished before fsck, {@code fsck --repair} and the Cleanup
         * Service treat its leftovers (PENDING records, temp files) as abandoned and remove them;
         * default {@link #DEFAULT_ABANDONED_WRITE_GRACE}. Make it longer than the slowest upload: a
         * PENDING record older than this is removed even if its writer is still copying (the writer
         * then fails and removes what it stored).
         */
        public Builder abandonedWriteGrace(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new InvalidArgumentException("abandonedWriteGrace must be positive, was " + v);
            }
            abandonedWriteGrace = v;
            return this;
        }

        /** Metadata store (required). */
        public Builder taskStore(TaskStore v) { tasks = Objects.requireNonNull(v); return this; }

        /** Object store (required): the default root, where Reclaim writes. */
        public Builder artifactStore(ArtifactStore v) { artifacts = Objects.requireNonNull(v); return this; }

        /**
         * A named artifact store, whose objects can be registered as artifacts in place
         * ({@link Tasks#registerArtifact}). It must have been added to the task store before
         * ({@link ArtifactRoots#adopt(dev.reclaim.store.RootRegistry, String, ArtifactStore, Clock)}, the
         * CLI's {@code stores add}): {@link #build} uses it only when its marker and its binding under
         * {@code name} agree, and otherwise fails naming it. Owned by the instance from then on.
         *
         * @throws InvalidArgumentException for a bad name or one given twice
         */
        public Builder store(String name, ArtifactStore store) {
            Names.STORE_NAME.check(name);
            Objects.requireNonNull(store, "store");
            if (stores.putIfAbsent(name, store) != null) {
                throw new InvalidArgumentException("artifact store '" + name + "' is given twice; give each store once");
            }
            return this;
        }

        /** Time source; the system UTC clock unless given. */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

        /** Folder for running jobs' outputs (required); must not be inside the artifact store. */
        public Builder stagingRoot(Path v) { stagingRoot = Objects.requireNonNull(v); return this; }

        /** Deletion engine tuning. */
        public Builder deleterSettings(DeleterSettings v) { deleterSettings = Objects.requireNonNull(v); return this; }

        /** How the deletion engine waits between retries. */
        public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v); return this; }

        /** Timings and slots of in-process workers; the lease timeout also decides UNDETERMINED. */
        public Builder workerSettings(WorkerSettings v) { workerSettings = Objects.requireNonNull(v); return this; }

        /** The user recorded as owner and actor. */
        public Builder user(String v) {
            if (v == null || v.isBlank()) {
                throw new InvalidArgumentException("user must not be empty");
            }
            user = Names.USER.check(v);
            return this;
        }

        /**
         * An instance that only reads (stores that cannot be written, such as a read-only home):
         * no staging folder is created and a missing Cleanup Service task is not created. Writes
         * fail in the store. False unless set.
         */
        public Builder readOnly(boolean v) { readOnly = v; return this; }

        /** Registry for this instance's meters; a private in-memory one unless given. */
        public Builder meterRegistry(MeterRegistry v) { meters = Objects.requireNonNull(v); return this; }

        /** A cluster manager batch jobs can run on ({@code jobs submit --executor NAME}); none unless given. */
        public Builder executor(BatchExecutor v) { executors.add(Objects.requireNonNull(v)); return this; }

        /**
         * Builds the instance; the stores are owned by it from now on. The artifact root is checked
         * first ({@link ArtifactRoots#verify}): a new, empty root is claimed for the task store; a root
         * of another task store, or with other content and no marker, is refused. Each named store
         * ({@link #store}) is then checked: used when its marker and binding agree, else refused.
         *
         * @throws dev.reclaim.store.RootRefusedException when the root or a named store is not the task
         *                                                store's to use (the message names it)
         */
        public Reclaim build() {
            if (meters == null) {
                meters = new SimpleMeterRegistry();
            }
            return new Reclaim(this);
        }
    }
}
