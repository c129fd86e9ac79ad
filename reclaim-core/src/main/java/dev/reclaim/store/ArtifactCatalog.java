package dev.reclaim.store;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.StoredObject;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Artifact records: registration, the write protocol's activation, lookups. One of the role ports of a
 * {@link TaskStore}; see docs/architecture.md.
 */
public interface ArtifactCatalog {

    /**
     * Registers artifacts. Refused (nothing inserted) when a task is missing or being deleted, when
     * a storage key is in the pending-delete queue (it would be deleted under a live reference), or
     * when a PENDING artifact's storage key is one another LIVE or PENDING artifact has (or another
     * of the same call): a PENDING artifact announces bytes about to be written to its key, and no
     * write may replace bytes a record describes (docs/rules.md invariant 6). A LIVE artifact is a
     * reference to an object that is already stored, so it may share a key deliberately.
     *
     * @throws dev.reclaim.InvalidArgumentException saying which artifact was refused and why
     */
    void insertArtifacts(Collection<Artifact> artifacts);

    /** What became of an added artifact's activation ({@link #activateAdded}). */
    enum Activation {
        /** LIVE now, with what was stored. */
        ACTIVATED,
        /** The task is missing or being deleted, or the artifact is no longer PENDING; nothing changed. */
        NOT_PENDING,
        /** Another LIVE artifact of the task took the kind and name meanwhile; nothing changed. */
        NAME_TAKEN
    }

    /**
     * Records what was stored for a PENDING artifact added under a name (its size and checksum) and
     * moves it to LIVE, in one transaction: the last step of the write protocol for artifacts
     * attached outside a job. The task must be live, and the name still free: two adds of one name
     * that both passed their first look cannot both be kept, so it is judged here, after the task's
     * row is locked. When the task is PUBLISHED at that moment, its models are published in the same
     * transaction.
     *
     * @param replacing the LIVE artifacts of that name the add supersedes (they may still be LIVE)
     */
    Activation activateAdded(String taskId, String artifactId, StoredObject stored, Collection<String> replacing);

    /** What became of registering an object in place ({@link #registerArtifact}). */
    enum Registration {
        /** The LIVE record was inserted. */
        REGISTERED,
        /** The task is missing or being deleted; nothing changed. */
        TASK_NOT_LIVE,
        /** Another LIVE artifact of the task, not among those replaced, has the kind and name; nothing changed. */
        NAME_TAKEN,
        /**
         * The key is in an open pending-delete entry (of its own or with a whole task's): its object is
         * being deleted and would be deleted under a live reference; nothing changed.
         */
        KEY_QUEUED
    }

    /**
     * Records an object that is already stored (in a named artifact store, or in the default root
     * outside Reclaim's own namespace) as a LIVE artifact, without writing anything, in one
     * transaction: the task must be live (its row is locked, so a deletion mark or a publish comes
     * wholly before or after); no other LIVE artifact of the task may have the kind and name unless
     * it is in {@code replacing}; the key may not be queued for deletion (the rule of
     * {@link #insertArtifacts}); then the record is inserted. It may share its key with other LIVE
     * records, which reference the same object. A model registered in a PUBLISHED task is published.
     *
     * @param live      the record: state LIVE, a task, a recorded key ({@link StorageKeys#validateRecorded})
     * @param replacing ids of the LIVE artifacts of that name the registration supersedes
     * @throws dev.reclaim.InvalidArgumentException when the record is not LIVE, names no task or has an invalid key
     */
    Registration registerArtifact(Artifact live, Collection<String> replacing);

    /**
     * Registers many objects in place in one transaction (an import), each judged as
     * {@link #registerArtifact} judges one with nothing to replace: its task must be live, its kind
     * and name free among the task's LIVE artifacts and the earlier items of the call, its key not
     * queued for deletion. What is refused is left out; the others are inserted.
     *
     * @param live the records: state LIVE, a task, a recorded key each
     * @return each record's outcome, in order
     * @throws dev.reclaim.InvalidArgumentException when a record is not LIVE, names no task or has an
     *                                              invalid key; nothing is inserted then
     */
    List<Registration> registerArtifacts(List<Artifact> live);

    /**
     * PENDING artifacts registered before {@code createdBefore}, oldest first: uploads that never
     * finished when that is long enough ago (their writer died), for fsck and the Cleanup Service.
     */
    List<Artifact> pendingArtifactsBefore(Instant createdBefore, int limit);

    /**
     * Removes a PENDING artifact record whose bytes were never stored under its key (the put failed
     * or was refused), without touching the key: whatever is stored there is not this record's.
     *
     * @return false if there was no such PENDING record
     */
    boolean dropPendingArtifact(String artifactId);

    /** Ids of the live tasks (other than the artifact's own) that use this artifact as an input model. */
    List<String> liveTasksUsingInput(String artifactId);

    /** Every artifact of a task, in every state, ordered by id. */
    List<Artifact> artifactsOf(String taskId);

    /**
     * One page of a task's LIVE artifacts, ordered by id: at most {@code limit} of them with an id
     * after {@code afterId} (null for the first page). The default reads all of the task's
     * artifacts; a database store reads only the page.
     */
    default List<Artifact> liveArtifactsOf(String taskId, String afterId, int limit) {
        return artifactsOf(taskId).stream().filter(a -> a.state() == ArtifactState.LIVE)
                .filter(a -> afterId == null || a.id().compareTo(afterId) > 0).limit(limit).toList();
    }

    /** The artifact with this id; empty if none. */
    Optional<Artifact> findArtifact(String artifactId);

    /**
     * Bytes of the LIVE artifacts of each task, for a page of tasks at once (the web UI's sizes
     * column). Tasks without live artifacts map to 0. The default reads each task's artifacts;
     * a database store answers with one grouped query per chunk of ids instead.
     */
    default Map<String, Long> liveBytesOf(Collection<String> taskIds) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String id : taskIds) {
            out.put(id, artifactsOf(id).stream().filter(a -> a.state() == ArtifactState.LIVE)
                    .mapToLong(Artifact::sizeBytes).sum());
        }
        return out;
    }

    /**
     * Sets a LIVE artifact's published flag.
     *
     * @return false if there is no such live artifact
     */
    boolean setArtifactPublished(String artifactId, boolean published);

    /** True when at least one LIVE artifact references the key. */
    boolean isReferencedByLiveArtifact(String storageKey);

    /** The keys among {@code keys} named by an artifact record in any state or by an open queue entry. */
    Set<String> knownKeys(Collection<String> keys);
    /**
     * What became of a batch registration ({@link #registerBatch}): every record was inserted, or
     * none was, and then {@code index} is the first refused record and {@code outcome} says why.
     *
     * @param outcome {@link Registration#REGISTERED} when all were inserted, else the first refusal
     * @param index   the position in the batch of the first refused record; -1 when all were inserted
     */
    record BatchRegistration(Registration outcome, int index) {
        /** Every record was inserted. */
        public static final BatchRegistration ALL_REGISTERED = new BatchRegistration(Registration.REGISTERED, -1);

        /** True when every record was inserted. */
        public boolean registered() {
            return outcome == Registration.REGISTERED;
        }
    }

    /**
     * {@link #registerArtifact} for many records at once, all or nothing, in one transaction: each
     * record is judged by the rules of {@link #registerArtifact} in order, the records before it in
     * the batch included (two records of one task, kind and name: the second is refused); the first
     * refusal inserts nothing. With every record inserted, the metrics given for them are set in
     * the same transaction.
     *
     * @param live      the records: state LIVE, a task each, recorded keys
     * @param replacing ids of the LIVE artifacts the batch supersedes (their names do not count as taken)
     * @param metrics   metrics to set, by the id of a record of the batch (may be empty)
     * @throws dev.reclaim.InvalidArgumentException when a record is not LIVE, names no task or has an invalid
     *                                              key, or metrics name an artifact outside the batch;
     *                                              nothing changed
     */
    BatchRegistration registerBatch(List<Artifact> live, Collection<String> replacing,
                                    Map<String, Map<String, Double>> metrics);

    /**
     * Merges numeric metrics into a LIVE artifact's (a name already there takes the new value;
     * others are kept), in one transaction.
     *
     * @param metrics names ({@link dev.reclaim.model.Names#METRIC_NAME}) to finite values
     * @return false, changing nothing, when there is no LIVE artifact with this id
     */
    boolean setArtifactMetrics(String artifactId, Map<String, Double> metrics);

    /**
     * The metrics of each of these artifacts, by artifact id, names in order; an artifact without
     * metrics (or unknown) is left out. One query per chunk of ids, so a page of artifacts costs
     * one read.
     */
    Map<String, Map<String, Double>> metricsOf(Collection<String> artifactIds);
}
