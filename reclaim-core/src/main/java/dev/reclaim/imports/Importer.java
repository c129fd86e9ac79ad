package dev.reclaim.imports;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Names;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.MountedStores;
import dev.reclaim.store.RootBinding;
import dev.reclaim.store.StorageKeys;
import dev.reclaim.store.TaskCatalog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports an existing tree of a named artifact store (docs/rules.md section 7): registers its objects
 * in place as artifacts of tasks, by a {@link Layout}. Two listings: a survey (each task's times and
 * metadata, the totals), then the registration, in batches of one transaction each. Memory grows with
 * the tree's tasks, never its objects. A task is found again by its import key and an object by its
 * recorded key, so importing again adds nothing, and an import that stopped resumes where it stopped.
 * Nothing is written to the store; objects outside the layout stay unmanaged.
 */
public final class Importer {
    /** The parameter naming where an imported task came from ({@code LOCATION/PLACE}). */
    public static final String SOURCE_PARAM = "imported_from";

    private final TaskCatalog catalog;
    private final ArtifactCatalog records;
    private final MountedStores artifacts;
    private final Clock clock;
    private final String user;

    /**
     * @param store     the roles an import uses: the task catalog and the artifact records
     * @param artifacts the stores, the named ones imported from among them
     * @param clock     time source (registration times, archive times)
     * @param user      owner of the tasks an import creates
     */
    public <S extends TaskCatalog & ArtifactCatalog> Importer(S store, MountedStores artifacts, Clock clock, String user) {
        this.catalog = store;
        this.records = store;
        this.artifacts = artifacts;
        this.clock = clock;
        this.user = user;
    }

    /**
     * A dry run of an import from the named store {@code storeName}: what {@link #run} would register,
     * leaving out what is registered already; changes nothing.
     *
     * @throws InvalidArgumentException when no store of that name is open here, or it is the default root
     */
    public ImportPlan plan(String storeName, ImportOptions options, ImportListener listener) {
        return plan(source(storeName), storeName, options, listener);
    }

    /**
     * A dry run: lists {@code source} and says what an import would register, changing nothing.
     *
     * @param source    the tree (a named store, or a location not added yet)
     * @param storeName its name when it is a store of this task store (what is registered already is
     *                  then left out); null when it is not one yet
     */
    public ImportPlan plan(ArtifactStore source, String storeName, ImportOptions options, ImportListener listener) {
        Survey survey = new Survey(source, options);
        List<Survey.Item> batch = new ArrayList<>();
        long[] already = {0};
        source.list("", o -> {
            Survey.Item item = survey.classify(o, true);
            if (item != null) {
                batch.add(item);
                if (batch.size() >= options.batchSize()) {
                    already[0] += countNew(storeName, batch);
                }
            }
            if (survey.listed % 1000 == 0) {
                listener.surveyed(survey.listed);
            }
        });
        already[0] += countNew(storeName, batch);
        listener.surveyed(survey.listed);
        Set<String> existing = new HashSet<>();
        if (storeName != null) {
            List<String> keys = new ArrayList<>();
            for (TaskState t : survey.tasks.values()) {
                keys.add(importKey(storeName, t));
                if (keys.size() == 500) {
                    existing.addAll(catalog.importedTasks(keys).keySet());
                    keys.clear();
                }
            }
            existing.addAll(catalog.importedTasks(keys).keySet());
        }
        List<PlannedTask> planned = new ArrayList<>();
        long objects = 0;
        long bytes = 0;
        long newTasks = 0;
        for (TaskState t : survey.tasks.values()) {
            if (t.refusal != null || t.newObjects == 0) {
                continue;
            }
            boolean exists = storeName != null && existing.contains(importKey(storeName, t));
            Task task = task(t, "", clock.instant(), options.archived());
            planned.add(new PlannedTask(t.ref.id(), task.project(), task.name(), task.status(), task.startedAt(),
                    task.endedAt(), exists, t.newObjects, t.newBytes));
            objects += t.newObjects;
            bytes += t.newBytes;
            newTasks += exists ? 0 : 1;
        }
        return new ImportPlan(planned, newTasks, objects, bytes, already[0], survey.outside, survey.metadata,
                survey.refused, List.copyOf(survey.refusals));
    }

    /** Counts a batch's objects into their tasks' new objects; answers how many are registered already. */
    private long countNew(String storeName, List<Survey.Item> batch) {
        String prefix = storeName == null ? "" : prefix(storeName);
        Set<String> known = storeName == null ? Set.of() : records.knownKeys(batch.stream()
                .map(i -> prefix + i.object().key()).toList());
        long already = 0;
        for (Survey.Item i : batch) {
            if (storeName != null && known.contains(prefix + i.object().key())) {
                already++;
            } else {
                i.task().newObjects++;
                i.task().newBytes += i.object().sizeBytes();
            }
        }
        batch.clear();
        return already;
    }

    /**
     * Imports the tree of the named store {@code storeName}: creates its tasks (found again by their
     * import key when an earlier import made them) and registers each object of the layout that is
     * not registered yet, in batches of {@code options.batchSize()} objects, each batch (its new
     * tasks, then its artifacts) committed on its own.
     *
     * @throws InvalidArgumentException when no store of that name is open here, or it is the default root
     */
    public ImportReport run(String storeName, ImportOptions options, ImportListener listener) {
        ArtifactStore source = source(storeName);
        Survey survey = new Survey(source, options);
        source.list("", o -> {
            survey.classify(o, true);
            if (survey.listed % 1000 == 0) {
                listener.surveyed(survey.listed);
            }
        });
        listener.surveyed(survey.listed);
        Registration reg = new Registration(storeName, source.describe(), options, survey, listener);
        List<Survey.Item> batch = new ArrayList<>(options.batchSize());
        source.list("", o -> {
            Survey.Item item = survey.classify(o, false);
            if (item != null) {
                if (item.task().objects == 0) {
                    item.task().saw(o.lastModified(), o.sizeBytes()); // appeared after the survey
                }
                batch.add(item);
                if (batch.size() >= options.batchSize()) {
                    reg.commit(batch);
                }
            }
        });
        reg.commit(batch);
        long tasks = survey.tasks.values().stream().filter(t -> t.refusal == null).count();
        return new ImportReport(storeName, reg.created, tasks - reg.created, reg.registered, reg.bytes, reg.already,
                survey.outside, survey.metadata, survey.refused + reg.refused, List.copyOf(survey.refusals));
    }

    /** The second listing's batches: new tasks, then artifacts, each batch in its own transactions. */
    private final class Registration {
        final String store;
        final String prefix;
        final String location;
        final ImportOptions options;
        final Survey survey;
        final ImportListener listener;
        long created;
        long registered;
        long bytes;
        long already;
        long refused;
        long done;

        Registration(String store, String location, ImportOptions options, Survey survey, ImportListener listener) {
            this.store = store;
            this.prefix = prefix(store);
            this.location = location;
            this.options = options;
            this.survey = survey;
            this.listener = listener;
        }

        void commit(List<Survey.Item> batch) {
            if (batch.isEmpty()) {
                return;
            }
            // Listed keys are valid keys of the store, so each recorded key is the store's prefix and the key.
            List<String> keys = batch.stream().map(i -> prefix + i.object().key()).toList();
            Set<String> known = records.knownKeys(keys);
            Instant now = clock.instant();
            Map<String, Task> newTasks = new LinkedHashMap<>();
            Map<String, TaskState> byKey = new LinkedHashMap<>();
            List<Survey.Item> fresh = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Survey.Item item = batch.get(i);
                if (known.contains(keys.get(i))) {
                    already++;
                    continue;
                }
                fresh.add(item);
                TaskState t = item.task();
                if (t.taskId == null && !byKey.containsKey(importKey(store, t))) {
                    newTasks.put(importKey(store, t), task(t, location, now, options.archived()));
                    byKey.put(importKey(store, t), t);
                }
            }
            if (!newTasks.isEmpty()) {
                Map<String, String> ids = catalog.insertImportedTasks(newTasks);
                byKey.forEach((key, t) -> {
                    t.taskId = ids.get(key);
                    if (t.taskId.equals(newTasks.get(key).id())) {
                        created++;
                    }
                });
            }
            List<Artifact> live = new ArrayList<>(fresh.size());
            for (Survey.Item item : fresh) {
                live.add(new Artifact(Ids.next(now), item.task().taskId, item.at().kind(), item.at().name(),
                        prefix + item.object().key(), item.object().sizeBytes(), now, false, ArtifactState.LIVE));
            }
            List<ArtifactCatalog.Registration> outcomes = records.registerArtifacts(live);
            for (int i = 0; i < outcomes.size(); i++) {
                Artifact a = live.get(i);
                if (outcomes.get(i) == ArtifactCatalog.Registration.REGISTERED) {
                    registered++;
                    bytes += a.sizeBytes();
                } else {
                    refused++;
                    if (survey.refusals.size() < 20) {
                        survey.refusals.add(Names.printable(fresh.get(i).object().key()) + ": " + why(outcomes.get(i)));
                    }
                }
            }
            done += batch.size();
            batch.clear();
            listener.committed(done, survey.inLayout, registered);
        }
    }

    private ArtifactStore source(String storeName) {
        if (storeName == null || RootBinding.DEFAULT_NAME.equals(storeName)) {
            throw new InvalidArgumentException("an import registers the objects of a named artifact store, not of the "
                    + "default artifact root; add the tree as a store first (reclaim stores add NAME LOCATION)");
        }
        Names.STORE_NAME.check(storeName);
        return artifacts.store(storeName).orElseThrow(() -> new InvalidArgumentException("no artifact store named '"
                + storeName + "' is open; add it first: reclaim stores add " + storeName + " LOCATION"));
    }

    private static String why(ArtifactCatalog.Registration outcome) {
        return switch (outcome) {
            case TASK_NOT_LIVE -> "its task is being deleted";
            case NAME_TAKEN -> "its task has another artifact of that kind and name";
            case KEY_QUEUED -> "the object's deletion is queued";
            case REGISTERED -> "registered";
        };
    }

    /** What the recorded key of each of a store's keys starts with; listed keys are valid keys already. */
    private static String prefix(String store) {
        String one = StorageKeys.mounted(store, "k");
        return one.substring(0, one.length() - 1);
    }

    private static String importKey(String store, TaskState t) {
        return store + "/" + t.ref.id();
    }

    /**
     * The task an imported task becomes: started at its metadata's start or its oldest object, ended
     * at its metadata's end or its newest object (a draft has no end), COMPLETED unless the metadata
     * says otherwise; archived now when asked, or when the tool that wrote the tree deleted it.
     */
    private Task task(TaskState t, String location, Instant now, boolean archived) {
        Instant start = t.startedAt != null ? t.startedAt : t.oldest != null ? t.oldest : now;
        TaskStatus status = t.status != null ? t.status : TaskStatus.COMPLETED;
        Instant end = status == TaskStatus.CREATED ? null
                : t.endedAt != null ? t.endedAt : t.newest != null && t.newest.isAfter(start) ? t.newest : start;
        Instant changed = end != null ? end : start;
        Map<String, String> params = new TreeMap<>();
        params.put(SOURCE_PARAM, (location.endsWith("/") ? location : location + "/") + t.ref.id());
        Task.Builder b = Task.builder(Ids.next(start), t.name, start).project(t.project).owner(user).status(status)
                .startedAt(start).endedAt(end).statusChangedAt(changed).lastUpdateAt(changed).params(params);
        if (archived || t.deleted) {
            b.systemTags(Set.of(Task.ARCHIVED)).archivedAt(now);
        }
        return b.build();
    }
}
