package dev.reclaim.tasks;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.ReclaimException;
import dev.reclaim.RefusedException;
import dev.reclaim.TaskNotFoundException;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.LocalWorkers;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Names;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskSummary;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.HoldStore;
import dev.reclaim.store.ArtifactKeys;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.MountedStores;
import dev.reclaim.store.ObjectExistsException;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.RootBinding;
import dev.reclaim.store.StorageKeys;
import dev.reclaim.store.TaskCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The task catalog API (docs/rules.md section 3): create, status and publish, artifacts and input
 * models, queries, archive/unarchive, delete and deleteMany with the force rules. Deletions go
 * through the {@link dev.reclaim.delete.Deleter}.
 */
public final class Tasks {
    private static final int CHANGED_RETRIES = 5;

    private final TaskCatalog catalog;
    private final ArtifactCatalog records;
    private final HoldStore holds;
    private final MountedStores artifacts;
    private final Deleter deleter;
    private final LocalWorkers workers;
    private final Clock clock;
    private final String user;
    private final Duration grace;

    /**
     * @param store     the roles the catalog API uses: tasks, their artifact records, and holds (nothing held is replaced)
     * @param artifacts where artifacts are stored: the default root and the named artifact stores
     * @param deleter   deletes tasks and superseded artifacts
     * @param workers   this process's worker pools (a task deleted or stopped while it runs here)
     * @param clock     time source
     * @param user      owner of created tasks and actor of changes
     * @param grace     how long an upload may take before its record counts as abandoned
     */
    public <S extends TaskCatalog & ArtifactCatalog & HoldStore> Tasks(S store, MountedStores artifacts, Deleter deleter,
                                                                     LocalWorkers workers, Clock clock, String user,
                                                                     Duration grace) {
        this.catalog = store;
        this.records = store;
        this.holds = store;
        this.artifacts = artifacts;
        this.deleter = deleter;
        this.workers = workers;
        this.clock = clock;
        this.user = user;
        this.grace = grace;
    }

    /** The task with this id, including one being deleted; empty if there is none. */
    public Optional<Task> find(String id) {
        return catalog.findTask(id);
    }

    /** Every LIVE artifact of a task, ordered by id; empty for a task that has none or does not exist. */
    public List<Artifact> liveArtifacts(String taskId) {
        return records.artifactsOf(taskId).stream().filter(a -> a.state() == ArtifactState.LIVE).toList();
    }

    /**
     * One page of a task's LIVE artifacts, ordered by id: at most {@code limit} with an id after
     * {@code afterId} (null for the first page).
     */
    public List<Artifact> liveArtifacts(String taskId, String afterId, int limit) {
        return records.liveArtifactsOf(taskId, afterId, limit);
    }

    /** Bytes of the LIVE artifacts of each of these tasks (0 for a task without any). */
    public Map<String, Long> liveBytesOf(Collection<String> taskIds) {
        return records.liveBytesOf(taskIds);
    }

    /** The artifact with this id, in any state; empty if there is none. */
    public Optional<Artifact> findArtifact(String artifactId) {
        return records.findArtifact(artifactId);
    }

    /**
     * Opens the stored bytes of an artifact for reading; the caller closes the stream.
     *
     * @throws dev.reclaim.StoreException when its object cannot be read
     */
    public InputStream open(Artifact artifact) {
        return artifacts.open(artifact.storageKey());
    }

    /** Creates a task (a draft unless another status is given) and returns it. */
    public Task create(NewTask spec) {
        if (spec.parentId() != null) {
            get(spec.parentId());
        }
        Instant now = clock.instant();
        Task task = Task.builder(Ids.next(now), spec.name(), now).project(spec.project()).type(spec.type())
                .owner(user).status(spec.status()).tags(new TreeSet<>(spec.tags())).parentId(spec.parentId())
                .params(new TreeMap<>(spec.params())).build();
        catalog.insertTask(task);
        return catalog.findTask(task.id()).orElseThrow();
    }

    /**
     * The live task with this id.
     *
     * @throws TaskNotFoundException when there is none (or its deletion has started)
     */
    public Task get(String id) {
        return catalog.findTask(id).filter(Task::isLive).orElseThrow(() -> new TaskNotFoundException(id));
    }

    /** Runs a query. Projection ({@code onlyFields}) is applied by {@link TaskViews}. */
    public Page<Task> getAll(TaskQuery query) {
        return catalog.query(query);
    }

    /**
     * How many tasks match the query's filters and the bytes of their live artifacts (ordering and
     * paging ignored): the totals of a filter, for what a listing shows one page of.
     */
    public TaskSummary summarize(TaskQuery query) {
        return catalog.summarize(query);
    }

    /**
     * Sets a task's status. QUEUED and RUNNING are refused (workers and enqueue set those);
     * PUBLISHED goes through {@link #publish}.
     */
    public Task setStatus(String id, TaskStatus status) {
        if (status == TaskStatus.QUEUED || status == TaskStatus.RUNNING) {
            throw new InvalidArgumentException("status " + status + " cannot be set by hand; submit or enqueue the task instead");
        }
        if (status == TaskStatus.PUBLISHED) {
            return publish(id);
        }
        return update(id, t -> t.withStatus(status, clock.instant()));
    }

    /**
     * Publishes a COMPLETED task and its output models. Published tasks need force to be deleted,
     * and published models are kept when their task is deleted.
     */
    public Task publish(String id) {
        for (int i = 0; i < CHANGED_RETRIES; i++) {
            Task t = get(id);
            if (t.status() != TaskStatus.COMPLETED && t.status() != TaskStatus.PUBLISHED) {
                throw new InvalidArgumentException("task " + id + " is " + t.status()
                        + "; only COMPLETED tasks can be published (set its status to completed first)");
            }
            Optional<Task> stored = catalog.publishTask(t.withStatus(TaskStatus.PUBLISHED, clock.instant()), t.version());
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        throw new ReclaimException("task " + id + " kept changing while it was being published; try again");
    }

    /**
     * Sets some of a task's parameters (only while it is a draft, so a running service's settings
     * stay fixed). The Cleanup Service task's parameters are its settings: they are validated, and
     * a bad name or value changes nothing.
     */
    public Task setParams(String id, Map<String, String> params) {
        Names.checkParams(params);
        return update(id, t -> {
            if (t.status() != TaskStatus.CREATED) {
                throw new InvalidArgumentException("task " + id + " is " + t.status()
                        + "; parameters can only be edited while it is a draft (stop it first: reclaim tasks stop " + id + ")");
            }
            Map<String, String> merged = new TreeMap<>(t.params());
            merged.putAll(params);
            if (ServiceTask.is(t)) {
                merged = new TreeMap<>(ServiceTask.settings(merged).toMap());
            }
            Names.checkParams(merged);
            return t.toBuilder().params(merged).lastUpdateAt(clock.instant()).build();
        });
    }

    /**
     * Puts the Cleanup Service task on a queue, where a worker in services mode picks it up and
     * runs it with its parameters. Only that task can be enqueued: jobs are submitted through
     * the job API, queued from the start.
     *
     * @throws InvalidArgumentException when the task is not the service, is not a draft, or its
     *                                  parameters are not valid settings (nothing changes)
     */
    public Task enqueue(String id, String queue) {
        String q = new ComputeContext(queue, null).queue();
        return update(id, t -> {
            if (!ServiceTask.is(t)) {
                throw new InvalidArgumentException("task " + id + " cannot be enqueued: only the Cleanup Service task ("
                        + ServiceTask.ID + ") runs from a queue; run work with `reclaim jobs submit`");
            }
            if (t.status() != TaskStatus.CREATED) {
                throw new InvalidArgumentException("task " + id + " is already " + t.status()
                        + (t.queue() != null ? " on queue " + t.queue() : "") + "; stop it first: reclaim tasks stop " + id);
            }
            ServiceTask.settings(t.params());
            Instant now = clock.instant();
            return t.withStatus(TaskStatus.QUEUED, now).toBuilder().queue(q).error(null).exitCode(null).build();
        });
    }

    /** What {@link #stop} did. */
    public enum StopOutcome {
        /** The service was running: it ends after its current batch. */
        STOPPING,
        /** It was queued and not yet claimed: it is a draft again. */
        DEQUEUED,
        /** Its worker stopped heartbeating: it was reset to a draft. */
        RESET,
        /** It was not queued or running. */
        NOT_RUNNING
    }

    /**
     * Stops the Cleanup Service task cleanly: a running service finishes its current batch, then
     * its worker makes it a draft again; a queued one is taken off the queue; one whose worker
     * died (lease expired) is reset at once.
     *
     * @throws InvalidArgumentException when the task is not a service (jobs are canceled instead)
     */
    public StopOutcome stop(String id) {
        StopOutcome[] outcome = new StopOutcome[1];
        update(id, t -> {
            if (!ServiceTask.is(t)) {
                throw new InvalidArgumentException("task " + id + " is not a service; to stop a job cancel it: "
                        + "reclaim jobs cancel " + id);
            }
            Instant now = clock.instant();
            switch (t.status()) {
                case QUEUED -> {
                    outcome[0] = StopOutcome.DEQUEUED;
                    return ServiceTask.backToDraft(t, now, null);
                }
                case RUNNING -> {
                    if (t.leaseExpiresAt() != null && t.leaseExpiresAt().isBefore(now)) {
                        outcome[0] = StopOutcome.RESET;
                        return ServiceTask.backToDraft(t, now, "its worker " + t.workerId()
                                + " stopped heartbeating; reset by tasks stop");
                    }
                    outcome[0] = StopOutcome.STOPPING;
                    Set<String> tags = new TreeSet<>(t.systemTags());
                    tags.add(ServiceTask.STOP_REQUESTED);
                    return t.toBuilder().systemTags(tags).lastUpdateAt(now).build();
                }
                default -> {
                    outcome[0] = StopOutcome.NOT_RUNNING;
                    return t;
                }
            }
        });
        return outcome[0];
    }

    /**
     * Registers a file as an artifact of a task with the write protocol: registered PENDING,
     * copied into the store, then made LIVE. The file itself is left in place. A name the task
     * already has (for this kind) is refused: see {@link #addArtifact(String, ArtifactKind, String, Path, boolean)}.
     *
     * @return the LIVE artifact
     */
    public Artifact addArtifact(String taskId, ArtifactKind kind, String name, Path file) {
        return addArtifact(taskId, kind, name, file, false).artifact();
    }

    /**
     * Registers a file as an artifact of a task: registered PENDING, copied into the store under a
     * key nothing else has (the store never replaces bytes), its size and SHA-256 recorded, then
     * made LIVE. The file itself is left in place.
     *
     * <p>A LIVE artifact of this kind with this name already in the task is refused, unless
     * {@code replace}: then the new file supersedes it, under a new key, and the old artifact's
     * record and object are deleted through the deletion engine once the new one is LIVE. A
     * published model, or one another live task uses as input, is never replaced: add the new
     * version under another name.
     *
     * <p>A model added to a PUBLISHED task is published in the transaction that makes it LIVE.
     *
     * <p>A QUEUED or RUNNING job's task is refused: the job registers its outputs when it ends. A
     * name that is another artifact's of this kind but for case or Unicode normalisation, or that
     * needs a folder where another artifact is a file (or the reverse), is refused naming it (see
     * {@link NameClashes}).
     *
     * <p>The name is checked again when the artifact becomes LIVE: of two adds of one name at the
     * same moment, one is kept and the other refused, leaving nothing behind.
     *
     * @throws RefusedException         when the name is taken (without {@code replace}), the artifact
     *                                  to replace is protected, or the task is a queued or running job;
     *                                  nothing changed
     * @throws InvalidArgumentException for a file that is not a regular file, an unusable name, or a
     *                                  name that clashes with another; nothing changed
     */
    public AddedArtifact addArtifact(String taskId, ArtifactKind kind, String name, Path file, boolean replace) {
        Task task = get(taskId);
        if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
            // a job registers its outputs when it ends; a name added by hand now could be one it writes
            throw new RefusedException("task " + taskId + " is a " + task.status() + " job: its outputs are written by the "
                    + "job when it ends; nothing was stored. Add the file once the job has ended (reclaim jobs wait "
                    + taskId + "), or cancel the job first");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException(file + " is not a regular file (links are not followed); give a file to attach");
        }
        Names.ARTIFACT_NAME.check(name);
        String usualKey;
        try {
            usualKey = ArtifactKeys.of(taskId, kind, name);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("artifact name '" + name + "' is not usable: " + e.getMessage());
        }
        List<Artifact> sameKind = records.artifactsOf(taskId).stream()
                .filter(a -> a.state() == ArtifactState.LIVE && a.kind() == kind).toList();
        NameClashes.check(taskId, name, sameKind);
        List<Artifact> sameName = sameKind.stream().filter(a -> a.name().equals(name)).toList();
        if (!sameName.isEmpty()) {
            refuseUnlessReplaceable(taskId, kind, name, sameName, replace);
        }
        Instant now = clock.instant();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read " + file + ": " + Problems.describe(e));
        }
        String id = Ids.next(now);
        // a name's usual key is taken when it is replaced, or after an upload that never finished
        String key = records.knownKeys(List.of(usualKey)).isEmpty() && artifacts.stat(usualKey).isEmpty()
                ? usualKey : ownKey(taskId, id, kind, name);
        Artifact pending = new Artifact(id, taskId, kind, name, key, size, now, false, ArtifactState.PENDING);
        try {
            records.insertArtifacts(List.of(pending));
        } catch (InvalidArgumentException e) {
            if (!key.equals(usualKey)) {
                throw e;
            }
            // another add took the usual key since we looked (the store refuses a second upload to it)
            key = ownKey(taskId, id, kind, name);
            pending = new Artifact(id, taskId, kind, name, key, size, now, false, ArtifactState.PENDING);
            records.insertArtifacts(List.of(pending));
        }
        StoredObject stored;
        try {
            stored = artifacts.putFileWithDigest(key, file, false);
        } catch (ObjectExistsException e) {
            records.dropPendingArtifact(id); // its bytes were never stored; what is there is not its
            throw new ReclaimException("artifact '" + name + "' was not stored: " + e.getMessage() + "; try again");
        } catch (RuntimeException e) {
            // the put stored nothing (it is atomic); the record goes, so nothing waits for a grace period
            records.dropPendingArtifact(id);
            throw e;
        }
        ArtifactCatalog.Activation activation = records.activateAdded(taskId, id, stored, sameName.stream().map(Artifact::id).toList());
        if (activation == ArtifactCatalog.Activation.NAME_TAKEN) {
            // its key is its own: the object goes first, so a crash in between leaves an abandoned
            // upload (cleaned after the grace period), never an object without a record
            artifacts.delete(key);
            records.dropPendingArtifact(id);
            throw new RefusedException("task " + taskId + " already has " + kind.name().toLowerCase(Locale.ROOT)
                    + " '" + name + "': another add took the name while this one was storing its bytes, so nothing was "
                    + "kept. Pass --replace to supersede it, or choose another name");
        }
        if (activation != ArtifactCatalog.Activation.ACTIVATED) {
            if (!records.isReferencedByLiveArtifact(key)) {
                artifacts.delete(key);
            }
            throw new ReclaimException("artifact '" + name + "' was stored but not kept: task " + taskId + " was deleted "
                    + "meanwhile, or the upload took longer than the grace period (" + grace
                    + ") and was removed as abandoned");
        }
        Artifact added = records.findArtifact(id).orElseThrow();
        List<Artifact> superseded = sameName.isEmpty() ? List.of() : supersede(taskId, sameName, added);
        return new AddedArtifact(added, superseded);
    }

    /**
     * Records an object that is already stored as a LIVE artifact of a task, without copying it: an
     * object of a named artifact store (a bucket or folder of checkpoints added with {@code reclaim
     * stores add}), or one in the default root outside Reclaim's own {@code tasks/} folder (put there
     * by hand: fsck calls it unmanaged). Its size is read from the store; its SHA-256 is unknown
     * (Reclaim did not write it), so fsck compares only its size. From then on the object is
     * Reclaim's: deleting the task (or replacing the artifact) deletes it through the pending-delete
     * queue, unless another live artifact still names it. Objects of the store nobody registered are
     * never deleted but by a person's explicit request ({@code fsck --delete-unmanaged}).
     *
     * <p>The rules of {@link #addArtifact(String, ArtifactKind, String, Path, boolean)} apply: a
     * taken name is refused unless {@code replace} (a published or used model never replaced), a
     * queued or running job is refused, names may not clash. The name is judged again in the
     * transaction that inserts the record, and a key queued for deletion is refused there.
     *
     * @param storeName the named store, or {@code default} (null too) for the default root
     * @param key       the object's key in that store, relative to its location
     * @return the LIVE artifact and the artifacts it superseded
     * @throws InvalidArgumentException for a store that is not open, a bad key, a key in the default
     *                                  root's {@code tasks/} folder, or no object at the key; nothing changed
     * @throws RefusedException         when the name is taken (without {@code replace}), the artifact to
     *                                  replace is protected, the task is a queued or running job, or
     *                                  the object is being deleted; nothing changed
     */
    public AddedArtifact registerArtifact(String taskId, ArtifactKind kind, String name, String storeName, String key,
                                          boolean replace) {
        Task task = get(taskId);
        if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
            throw new RefusedException("task " + taskId + " is a " + task.status() + " job: its outputs are written by the "
                    + "job when it ends; nothing was registered. Register the object once the job has ended (reclaim jobs "
                    + "wait " + taskId + "), or cancel the job first");
        }
        Names.ARTIFACT_NAME.check(name);
        String store = storeName == null ? RootBinding.DEFAULT_NAME : storeName;
        String recorded = recordedKey(store, key);
        List<Artifact> sameKind = records.artifactsOf(taskId).stream()
                .filter(a -> a.state() == ArtifactState.LIVE && a.kind() == kind).toList();
        NameClashes.check(taskId, name, sameKind);
        List<Artifact> sameName = sameKind.stream().filter(a -> a.name().equals(name)).toList();
        if (!sameName.isEmpty()) {
            refuseUnlessReplaceable(taskId, kind, name, sameName, replace);
        }
        String where = "the " + (RootBinding.DEFAULT_NAME.equals(store) ? "default artifact root" : "artifact store '" + store + "'")
                + " (" + artifacts.store(store).orElseThrow().describe() + ")";
        ObjectInfo object = artifacts.stat(recorded).orElseThrow(() -> new InvalidArgumentException("there is no object '"
                + key + "' in " + where + "; nothing was registered. Give the key of an object that is there, relative to "
                + "the store's location"));
        Instant now = clock.instant();
        Artifact live = new Artifact(Ids.next(now), taskId, kind, name, recorded, object.sizeBytes(), now, false,
                ArtifactState.LIVE);
        String what = kind.name().toLowerCase(Locale.ROOT) + " '" + name + "'";
        switch (records.registerArtifact(live, sameName.stream().map(Artifact::id).toList())) {
            case REGISTERED -> { }
            case TASK_NOT_LIVE -> throw new TaskNotFoundException(taskId);
            case NAME_TAKEN -> throw new RefusedException("task " + taskId + " already has " + what + ": another add took "
                    + "the name meanwhile, so nothing was registered. Pass --replace to supersede it, or choose another name");
            case KEY_QUEUED -> throw new RefusedException("object '" + key + "' in " + where + " is being deleted (its "
                    + "deletion is queued: an artifact that named it was deleted, or a person named it for deletion), and "
                    + "a record would not keep it; nothing was registered. Let the deletion finish (reclaim fsck --repair) "
                    + "and store the object again");
        }
        Artifact added = records.findArtifact(live.id()).orElseThrow();
        List<Artifact> superseded = sameName.isEmpty() ? List.of() : supersede(taskId, sameName, added);
        return new AddedArtifact(added, superseded);
    }

    /** Most items of one batch call ({@link #createAll}, {@link #registerArtifacts}). */
    public static final int MAX_BATCH = 10_000;

    /**
     * Creates many tasks, all or none, in one transaction of the task store. Every item is checked
     * first (as {@link #create} checks one, its parent included), then they are inserted together.
     *
     * @return the new tasks' ids, in the order given
     * @throws BatchItemException       for the first item that is refused, naming its position; nothing was created
     * @throws InvalidArgumentException for an empty batch or one over {@link #MAX_BATCH}; nothing was created
     */
    public List<String> createAll(List<NewTask> specs) {
        if (specs.isEmpty() || specs.size() > MAX_BATCH) {
            throw new InvalidArgumentException("a batch holds 1 to " + MAX_BATCH + " tasks, not " + specs.size()
                    + (specs.isEmpty() ? "" : "; send the rest in further batches"));
        }
        Set<String> liveParents = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            String parent = specs.get(i).parentId();
            if (parent != null && !liveParents.contains(parent)) {
                if (catalog.findTask(parent).filter(Task::isLive).isEmpty()) {
                    throw new BatchItemException(i, new InvalidArgumentException("parent task " + parent + " does not exist"));
                }
                liveParents.add(parent);
            }
        }
        Instant now = clock.instant();
        List<Task> tasks = new ArrayList<>(specs.size());
        for (NewTask spec : specs) {
            tasks.add(Task.builder(Ids.next(now), spec.name(), now).project(spec.project()).type(spec.type())
                    .owner(user).status(spec.status()).tags(new TreeSet<>(spec.tags())).parentId(spec.parentId())
                    .params(new TreeMap<>(spec.params())).build());
        }
        catalog.insertTasks(tasks);
        return tasks.stream().map(Task::id).toList();
    }

    /**
     * Registers many objects in place ({@link #registerArtifact} for each), all or none: every item
     * is checked first by the rules of a single registration (task, name, replacement, store and
     * key, the object's presence and size, metrics), against the stored artifacts and the items
     * before it (two items may not give one task the same kind and name); then all records and
     * their metrics are inserted in one transaction of the task store, which judges the names and
     * queued keys again. Artifacts a {@code replace} supersedes are deleted after that transaction,
     * as for a single registration.
     *
     * @return what each item registered and superseded, in the order given
     * @throws BatchItemException       for the first refused item, naming its position; nothing was registered
     * @throws InvalidArgumentException for an empty batch or one over {@link #MAX_BATCH}; nothing was registered
     */
    public List<AddedArtifact> registerArtifacts(List<NewReference> refs) {
        if (refs.isEmpty() || refs.size() > MAX_BATCH) {
            throw new InvalidArgumentException("a batch holds 1 to " + MAX_BATCH + " artifacts, not " + refs.size()
                    + (refs.isEmpty() ? "" : "; send the rest in further batches"));
        }
        Map<String, Map<ArtifactKind, NameIndex>> names = new HashMap<>();
        List<Artifact> lives = new ArrayList<>(refs.size());
        List<List<Artifact>> superseding = new ArrayList<>(refs.size());
        Set<String> batchIds = new HashSet<>();
        Map<String, Map<String, Double>> metrics = new HashMap<>();
        Instant now = clock.instant();
        for (int i = 0; i < refs.size(); i++) {
            NewReference r = refs.get(i);
            try {
                Map<ArtifactKind, NameIndex> byKind = names.get(r.taskId());
                if (byKind == null) {
                    Task task = catalog.findTask(r.taskId()).filter(Task::isLive).orElseThrow(() ->
                            new InvalidArgumentException("task " + r.taskId() + " does not exist"));
                    if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
                        throw new RefusedException("task " + r.taskId() + " is a " + task.status() + " job: its outputs are "
                                + "written by the job when it ends; register objects once it has ended, or cancel it first");
                    }
                    byKind = new EnumMap<>(ArtifactKind.class);
                    for (ArtifactKind k : ArtifactKind.values()) {
                        byKind.put(k, new NameIndex(records.artifactsOf(r.taskId()).stream()
                                .filter(a -> a.state() == ArtifactState.LIVE && a.kind() == k).toList()));
                    }
                    names.put(r.taskId(), byKind);
                }
                Names.ARTIFACT_NAME.check(r.name());
                Names.checkMetrics(r.metrics());
                String store = r.store() == null ? RootBinding.DEFAULT_NAME : r.store();
                String recorded = recordedKey(store, r.key());
                NameIndex index = byKind.get(r.kind());
                index.check(r.taskId(), r.name());
                List<Artifact> sameName = index.named(r.name());
                if (!sameName.isEmpty()) {
                    if (sameName.stream().anyMatch(a -> batchIds.contains(a.id()))) {
                        throw new InvalidArgumentException("an earlier item of this batch gives task " + r.taskId() + " the "
                                + r.kind().name().toLowerCase(Locale.ROOT) + " '" + r.name() + "' already; give each name once");
                    }
                    refuseUnlessReplaceable(r.taskId(), r.kind(), r.name(), sameName, r.replace());
                }
                ObjectInfo object = artifacts.stat(recorded).orElseThrow(() -> new InvalidArgumentException("there is no "
                        + "object '" + r.key() + "' in the " + (RootBinding.DEFAULT_NAME.equals(store) ? "default artifact root"
                        : "artifact store '" + store + "'") + "; give the key of an object that is there"));
                Artifact a = new Artifact(Ids.next(now), r.taskId(), r.kind(), r.name(), recorded, object.sizeBytes(), now,
                        false, ArtifactState.LIVE);
                lives.add(a);
                superseding.add(List.copyOf(sameName));
                batchIds.add(a.id());
                index.add(a); // later items see it: the same name again is refused, a clashing one too
                if (!r.metrics().isEmpty()) {
                    metrics.put(a.id(), r.metrics());
                }
            } catch (BatchItemException e) {
                throw e;
            } catch (ReclaimException e) {
                throw new BatchItemException(i, e);
            }
        }
        List<String> replacing = superseding.stream().flatMap(List::stream).map(Artifact::id).distinct().toList();
        ArtifactCatalog.BatchRegistration done = records.registerBatch(lives, replacing, metrics);
        if (!done.registered()) {
            NewReference r = refs.get(done.index());
            throw new BatchItemException(done.index(), switch (done.outcome()) {
                case TASK_NOT_LIVE -> new InvalidArgumentException("task " + r.taskId() + " was deleted meanwhile");
                case NAME_TAKEN -> new RefusedException("task " + r.taskId() + " already has " + r.kind().name()
                        .toLowerCase(Locale.ROOT) + " '" + r.name() + "': another add took the name meanwhile. Pass "
                        + "replace to supersede it, or choose another name");
                default -> new RefusedException("object '" + r.key() + "' is being deleted (its deletion is queued), and a "
                        + "record would not keep it. Let the deletion finish (reclaim fsck --repair) and store it again");
            });
        }
        List<AddedArtifact> out = new ArrayList<>(lives.size());
        for (int i = 0; i < lives.size(); i++) {
            Artifact added = lives.get(i);
            List<Artifact> old = superseding.get(i);
            out.add(new AddedArtifact(added, old.isEmpty() ? List.of() : supersede(added.taskId(), old, added)));
        }
        return out;
    }

    /**
     * Merges numeric metrics into a LIVE artifact of a task ({@code val_loss} of a checkpoint): a
     * name it has takes the new value, others are kept. Retention by metric reads them per task.
     *
     * @param metrics names ({@link Names#METRIC_NAME}) to finite numbers
     * @return all the artifact's metrics after the merge, names in order
     * @throws InvalidArgumentException for a bad name or value, more than {@link Names#MAX_METRICS} in
     *                                  all, or no LIVE artifact of the task with this id; nothing changed
     */
    public Map<String, Double> setArtifactMetrics(String taskId, String artifactId, Map<String, Double> metrics) {
        Names.checkMetrics(metrics);
        get(taskId);
        Artifact a = records.findArtifact(artifactId).filter(x -> taskId.equals(x.taskId()) && x.state() == ArtifactState.LIVE)
                .orElseThrow(() -> new InvalidArgumentException("task " + taskId + " has no live artifact " + artifactId));
        Map<String, Double> merged = new TreeMap<>(metricsOf(List.of(a.id())).getOrDefault(a.id(), Map.of()));
        merged.putAll(metrics);
        if (merged.size() > Names.MAX_METRICS) {
            throw new InvalidArgumentException("artifact " + artifactId + " would have " + merged.size() + " metrics; the "
                    + "limit is " + Names.MAX_METRICS + " metrics");
        }
        if (!records.setArtifactMetrics(artifactId, metrics)) {
            throw new InvalidArgumentException("artifact " + artifactId + " was deleted meanwhile; nothing was recorded");
        }
        return metricsOf(List.of(a.id())).getOrDefault(a.id(), Map.of());
    }

    /** The metrics of each of these artifacts, by id (names in order); artifacts without any are left out. */
    public Map<String, Map<String, Double>> metricsOf(Collection<String> artifactIds) {
        return records.metricsOf(artifactIds);
    }

    /**
     * {@link #addArtifact(String, ArtifactKind, String, Path, boolean)}, then its metrics. The
     * metrics are checked before anything is stored; they are recorded once the artifact is LIVE
     * (a crash in between leaves it without them: report them again).
     */
    public AddedArtifact addArtifact(String taskId, ArtifactKind kind, String name, Path file, boolean replace,
                                     Map<String, Double> metrics) {
        Names.checkMetrics(metrics);
        AddedArtifact added = addArtifact(taskId, kind, name, file, replace);
        if (!metrics.isEmpty()) {
            setArtifactMetrics(taskId, added.artifact().id(), metrics);
        }
        return added;
    }

    /**
     * The recorded key of {@code key} in {@code store}: refused for a store that is not open here, a
     * bad key, and the default root's {@code tasks/} folder, where every object is a task's own.
     */
    private String recordedKey(String store, String key) {
        if (key == null) {
            throw new InvalidArgumentException("no key given; give the object's key in its store");
        }
        try {
            StorageKeys.validate(key);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("cannot register '" + Names.printable(key) + "': " + e.getMessage()
                    + "; nothing was registered");
        }
        for (String segment : key.split("/")) {
            if (StorageKeys.isReservedName(segment)) {
                // the marker of a root or store nested below this one, or its temp files: never a task's
                throw new InvalidArgumentException("cannot register '" + key + "': '" + segment + "' is a name Reclaim "
                        + "keeps for its own files (such as the marker of another root or store inside this one); "
                        + "nothing was registered");
            }
        }
        if (RootBinding.DEFAULT_NAME.equals(store)) {
            if (key.equals(StorageKeys.TASKS_FOLDER) || key.startsWith(StorageKeys.TASKS_FOLDER + "/")) {
                throw new InvalidArgumentException("cannot register '" + key + "': it is in the default root's "
                        + StorageKeys.TASKS_FOLDER + "/ folder, where Reclaim writes each task's own objects (they belong "
                        + "to their tasks, or are leftovers fsck removes); nothing was registered. Register objects of a "
                        + "named store (reclaim stores add), or from outside " + StorageKeys.TASKS_FOLDER + "/");
            }
            return key;
        }
        Names.STORE_NAME.check(store);
        if (!artifacts.storeNames().contains(store)) {
            throw new InvalidArgumentException("no artifact store named '" + store + "' is open"
                    + (artifacts.storeNames().isEmpty() ? " (none is)" : " (open: " + String.join(", ", artifacts.storeNames())
                    + ")") + "; nothing was registered. Add the store first: reclaim stores add " + store + " LOCATION");
        }
        return StorageKeys.mounted(store, key);
    }

    /** The key of this artifact alone, for when the name's usual key is taken. */
    private static String ownKey(String taskId, String id, ArtifactKind kind, String name) {
        try {
            return ArtifactKeys.ofArtifact(taskId, id, kind, name);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("artifact name '" + name + "' is too long to be stored next to an earlier "
                    + "artifact of that name (" + e.getMessage() + "); choose a shorter name");
        }
    }

    /** Refuses an add whose name is taken, unless it may replace the artifacts that have it. */
    private void refuseUnlessReplaceable(String taskId, ArtifactKind kind, String name, List<Artifact> sameName,
                                         boolean replace) {
        Artifact first = sameName.get(0);
        String what = kind.name().toLowerCase(Locale.ROOT) + " '" + name + "'";
        if (!replace) {
            throw new RefusedException("task " + taskId + " already has " + ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ")
                    + what + " (artifact " + first.id() + ", "
                    + first.sizeBytes() + " bytes); nothing was stored. Pass --replace to supersede it (its bytes are "
                    + "deleted once the new ones are stored), or choose another name");
        }
        Task task = get(taskId);
        if (task.systemTags().contains(Task.HOLD)) {
            throw new RefusedException("task " + taskId + " is on hold, and nothing it holds is replaced; nothing was stored. "
                    + "Add the new version under another name, or release the hold (reclaim tasks release " + taskId + ")");
        }
        if (!holds.artifactHolds(sameName.stream().map(Artifact::id).toList()).isEmpty()) {
            throw new RefusedException("task " + taskId + "'s " + what + " is on hold, and a held artifact is never replaced; "
                    + "nothing was stored. Add the new version under another name");
        }
        for (Artifact a : sameName) {
            if (a.published()) {
                throw new RefusedException("task " + taskId + "'s " + what + " (artifact " + a.id() + ") is published, and a "
                        + "published model is never replaced; nothing was stored. Add the new version under another name");
            }
            List<String> users = records.liveTasksUsingInput(a.id());
            if (!users.isEmpty()) {
                throw new RefusedException("task " + taskId + "'s " + what + " (artifact " + a.id() + ") is an input of task(s) "
                        + String.join(", ", users) + ", and a model in use is never replaced; nothing was stored. Add the "
                        + "new version under another name");
            }
        }
    }

    /** Deletes the artifacts a replacement superseded, through the deletion engine. */
    private List<Artifact> supersede(String taskId, List<Artifact> old, Artifact replacement) {
        Set<String> ids = new TreeSet<>(old.stream().map(Artifact::id).toList());
        for (int attempt = 0; attempt < CHANGED_RETRIES; attempt++) {
            Task t = get(taskId);
            // a hold added since the add was checked refuses this mark: the old bytes then stay, said so below
            DeletionReport r = deleter.delete(DeletionMark.someArtifacts(taskId, t.version(), ids)
                    .because("superseded by artifact " + replacement.id(), user, clock.instant()), DeletionListener.NONE);
            if (r.outcome() != DeletionReport.Outcome.CHANGED) {
                if (r.outcome() != DeletionReport.Outcome.DELETED && r.outcome() != DeletionReport.Outcome.INCOMPLETE) {
                    throw new ReclaimException("artifact " + replacement.id() + " was stored, but the one it replaces could not "
                            + "be deleted: " + r.message());
                }
                return old;
            }
        }
        throw new ReclaimException("artifact " + replacement.id() + " was stored, but task " + taskId + " kept changing, so the "
                + "artifact it replaces (" + String.join(", ", ids) + ") is still there; add it again with --replace to retry");
    }

    /**
     * Records that a task uses another task's model as input; such a model is never deleted while
     * a live task uses it.
     */
    public Task addInputModel(String taskId, String modelArtifactId) {
        Artifact model = records.findArtifact(modelArtifactId)
                .filter(a -> a.state() == ArtifactState.LIVE)
                .orElseThrow(() -> new InvalidArgumentException("no live artifact with id " + modelArtifactId));
        if (model.kind() != ArtifactKind.MODEL) {
            throw new InvalidArgumentException("artifact " + modelArtifactId + " is a " + model.kind()
                    + ", not a MODEL; only models can be inputs");
        }
        if (taskId.equals(model.taskId())) {
            throw new InvalidArgumentException("model " + modelArtifactId + " is an output of task " + taskId
                    + " itself; inputs are models of other tasks");
        }
        return update(taskId, t -> {
            List<String> inputs = new ArrayList<>(t.inputModels());
            if (!inputs.contains(modelArtifactId)) {
                inputs.add(modelArtifactId);
            }
            return t.toBuilder().inputModels(inputs).lastUpdateAt(clock.instant()).build();
        });
    }

    /**
     * Archives tasks: adds the {@code archived} system tag and sets {@code archivedAt}; a QUEUED
     * task is dequeued (back to CREATED), a RUNNING one is stopped (CANCELED).
     */
    public List<ArchiveResult> archive(Collection<String> ids) {
        List<ArchiveResult> results = new ArrayList<>();
        for (String id : ids) {
            results.add(changeArchived(id, true));
        }
        return results;
    }

    /** Unarchives tasks: removes the {@code archived} system tag and clears {@code archivedAt}. */
    public List<ArchiveResult> unarchive(Collection<String> ids) {
        List<ArchiveResult> results = new ArrayList<>();
        for (String id : ids) {
            results.add(changeArchived(id, false));
        }
        return results;
    }

    private ArchiveResult changeArchived(String id, boolean archive) {
        for (int i = 0; i < CHANGED_RETRIES; i++) {
            Optional<Task> found = catalog.findTask(id).filter(Task::isLive);
            if (found.isEmpty()) {
                return new ArchiveResult(id, false, "no task with id " + id);
            }
            Task t = found.get();
            if (t.isArchived() == archive) {
                return new ArchiveResult(id, false, archive ? "already archived" : "not archived");
            }
            if (archive && ServiceTask.is(t)) {
                return new ArchiveResult(id, false, "task " + id + " is the Cleanup Service and is never archived: a cleanup "
                        + "run would then delete it and its settings; stop it with: reclaim tasks stop " + id);
            }
            Instant now = clock.instant();
            TreeSet<String> sys = new TreeSet<>(t.systemTags());
            Task.Builder b;
            String what;
            if (archive) {
                sys.add(Task.ARCHIVED);
                b = t.toBuilder().archivedAt(now);
                what = "archived";
                if (t.status() == TaskStatus.QUEUED) {
                    b = t.withStatus(TaskStatus.CREATED, now).toBuilder().archivedAt(now);
                    what = "archived (dequeued)";
                } else if (t.status() == TaskStatus.RUNNING) {
                    b = t.withStatus(TaskStatus.CANCELED, now).toBuilder().archivedAt(now).endedAt(now)
                            .leaseExpiresAt(null).error("stopped because it was archived");
                    what = "archived (stopped)";
                }
            } else {
                sys.remove(Task.ARCHIVED);
                b = t.toBuilder().archivedAt(null);
                what = "unarchived";
            }
            Task updated = b.systemTags(sys).lastUpdateAt(now).build();
            if (catalog.replaceTask(updated, t.version()).isPresent()) {
                if (archive && t.status() == TaskStatus.RUNNING) {
                    workers.cancelLocally(id);
                }
                if (archive && t.status() == TaskStatus.QUEUED) {
                    workers.functions().forget(id);
                }
                return new ArchiveResult(id, true, what);
            }
        }
        return new ArchiveResult(id, false, "task " + id + " kept changing; try again");
    }

    /**
     * Deletes one task with the rules of docs/rules.md section 3. Without force only drafts and
     * archived tasks are deleted, and a task with published children or published output models
     * is refused; PUBLISHED tasks always need force; a RUNNING task is stopped first (force).
     */
    public DeleteResult delete(String id, DeleteOptions options) {
        return delete(id, options, DeletionListener.NONE, "tasks delete");
    }

    /**
     * Deletes one task, telling {@code listener} about each object and record removed.
     *
     * @param reason recorded in the audit trail
     */
    public DeleteResult delete(String id, DeleteOptions options, DeletionListener listener, String reason) {
        for (int attempt = 0; attempt < CHANGED_RETRIES; attempt++) {
            Optional<Task> found = catalog.findTask(id);
            if (found.isEmpty()) {
                return DeleteResult.refused(id, false, "no task with id " + id);
            }
            Task t = found.get();
            if (!t.isLive()) {
                return fromReport(deleter.resumeTask(id, listener), options);
            }
            String refusal = options.force() ? null : refusal(t);
            if (refusal != null) {
                return DeleteResult.refused(id, true, refusal);
            }
            if (t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.QUEUED) {
                stop(t);
                continue;
            }
            DeletionReport r = deleter.delete(DeletionMark.wholeTask(id, t.version())
                    .deletingOutputModels(options.deleteOutputModels()).refusingPublished(!options.force())
                    .refusingHeld(!options.force())
                    .because(reason + (options.force() ? " (force)" : ""), user, clock.instant()), listener);
            if (r.outcome() == DeletionReport.Outcome.DELETED && ServiceTask.is(t)) {
                ServiceTask.replaceAfterDeletion(catalog, clock.instant());
            }
            if (r.outcome() != DeletionReport.Outcome.CHANGED) {
                return fromReport(r, options);
            }
        }
        return DeleteResult.refused(id, false, "task " + id + " kept changing while it was being deleted; try again");
    }

    /** Deletes many tasks, continuing past failures; returns which succeeded and which failed, with reasons. */
    public DeleteManyResult deleteMany(Collection<String> ids, DeleteOptions options) {
        List<DeleteResult> ok = new ArrayList<>();
        List<DeleteResult> failed = new ArrayList<>();
        for (String id : ids) {
            DeleteResult r;
            try {
                r = delete(id, options);
            } catch (RuntimeException e) {
                r = DeleteResult.refused(id, false, "deleting task " + id + " failed: " + Problems.describe(e));
            }
            (r.deleted() ? ok : failed).add(r);
        }
        return new DeleteManyResult(ok, failed);
    }

    private static String refusal(Task t) {
        if (ServiceTask.is(t)) {
            return ServiceTask.deletionNeedsForce(t);
        }
        if (t.systemTags().contains(Task.HOLD)) {
            return "task " + t.id() + " is on hold; release it first (reclaim tasks release " + t.id() + ") or pass force, "
                    + "which releases the hold";
        }
        if (t.status() == TaskStatus.PUBLISHED) {
            return "task " + t.id() + " is published; published tasks are deleted only with force";
        }
        if (t.status() != TaskStatus.CREATED && !t.isArchived()) {
            return "task " + t.id() + " is " + t.status() + " and not archived; archive it first or pass force";
        }
        return null;
    }

    /** Stops a RUNNING task (CANCELED) or dequeues a QUEUED one, before a forced delete. */
    private void stop(Task t) {
        Instant now = clock.instant();
        Task stopped = t.status() == TaskStatus.RUNNING
                ? t.withStatus(TaskStatus.CANCELED, now).toBuilder().endedAt(now).leaseExpiresAt(null)
                .error("stopped because it was deleted").build()
                : t.withStatus(TaskStatus.CREATED, now);
        if (catalog.replaceTask(stopped, t.version()).isPresent()) {
            workers.functions().forget(t.id());
            workers.cancelLocally(t.id());
        }
    }

    private static DeleteResult fromReport(DeletionReport r, DeleteOptions options) {
        List<String> urls = options.returnFileUrls() ? r.storageKeys() : List.of();
        return switch (r.outcome()) {
            case DELETED -> new DeleteResult(r.taskId(), true, false, null, r.updatedChildren(), r.keptModelIds().size(),
                    r.deletedModels(), r.objects(), r.bytes(), urls);
            case REFUSED -> DeleteResult.refused(r.taskId(), true, "task " + r.taskId() + ": " + r.message()
                    + "; pass force to delete it anyway (published models and children are kept)");
            case NOT_FOUND -> DeleteResult.refused(r.taskId(), false, "no task with id " + r.taskId());
            default -> new DeleteResult(r.taskId(), false, false, r.message(), r.updatedChildren(), r.keptModelIds().size(),
                    r.deletedModels(), r.objects(), r.bytes(), urls);
        };
    }

    private Task update(String id, UnaryOperator<Task> change) {
        for (int i = 0; i < CHANGED_RETRIES; i++) {
            Task t = get(id);
            Task updated = change.apply(t);
            Optional<Task> stored = catalog.replaceTask(updated, t.version());
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        throw new ReclaimException("task " + id + " kept changing while it was being updated; try again");
    }
}
