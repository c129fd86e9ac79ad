package dev.reclaim.imports;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Names;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One listing of an imported tree, object by object: which task and artifact each is, or why it is
 * not one. Keeps one {@link TaskState} per task (never the objects), with its metadata read once.
 */
final class Survey {
    private static final int MAX_REFUSALS = 20;
    private static final int METADATA_BYTES = 64 * 1024;

    final Map<String, TaskState> tasks = new LinkedHashMap<>();
    final List<String> refusals = new ArrayList<>();
    long listed;
    long inLayout;
    long outside;
    long metadata;
    long refused;

    private final ArtifactStore source;
    private final ImportOptions options;
    private final Function<String, Optional<String>> reader;

    Survey(ArtifactStore source, ImportOptions options) {
        this.source = source;
        this.options = options;
        Map<String, Optional<String>> cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
                return size() > 1024;
            }
        };
        this.reader = key -> cache.computeIfAbsent(key, this::readSmall);
    }

    /** An object of the tree that is an artifact to register. */
    record Item(TaskState task, Placement.Found at, ObjectInfo object) {
    }

    /**
     * Classifies one listed object, counting it: the artifact it is (its task tracked), or null when
     * it is outside the layout, metadata, or refused.
     */
    Item classify(ObjectInfo o, boolean tally) {
        if (tally) {
            listed++;
        }
        for (String segment : o.key().split("/")) {
            if (StorageKeys.isReservedName(segment)) {
                // Reclaim's own files (the store's marker, a nested root's): never a task's
                if (tally) {
                    outside++;
                }
                return null;
            }
        }
        Placement p = options.layout().place(o.key());
        if (p instanceof Placement.Outside) {
            if (tally) {
                outside++;
            }
            return null;
        }
        if (p instanceof Placement.Metadata) {
            if (tally) {
                metadata++;
            }
            return null;
        }
        Placement.Found at = (Placement.Found) p;
        TaskState t = tasks.computeIfAbsent(at.task().id(), id -> track(at.task()));
        String why = t.refusal;
        if (why == null) {
            try {
                Names.ARTIFACT_NAME.check(at.name());
            } catch (InvalidArgumentException e) {
                why = e.getMessage();
            }
        }
        if (why != null) {
            if (tally) {
                refused++;
                if (refusals.size() < MAX_REFUSALS) {
                    refusals.add(Names.printable(o.key()) + ": " + why);
                }
            }
            return null;
        }
        if (tally) {
            inLayout++;
            t.saw(o.lastModified(), o.sizeBytes());
        }
        return new Item(t, at, o);
    }

    private TaskState track(TaskRef ref) {
        TaskMetadata meta = options.layout().metadata(ref, reader);
        String name = meta.name() != null ? meta.name() : ref.name();
        String project = options.project() != null ? options.project()
                : meta.project() != null ? meta.project() : ref.project() != null ? ref.project() : Task.DEFAULT_PROJECT;
        String refusal = null;
        try {
            Names.TASK_NAME.check(name);
            Names.PROJECT.check(project);
        } catch (InvalidArgumentException e) {
            refusal = "task '" + Names.printable(ref.id()) + "': " + e.getMessage();
        }
        return new TaskState(ref, name, project, meta, refusal);
    }

    private Optional<String> readSmall(String key) {
        try (InputStream in = source.open(key)) {
            return Optional.of(new String(in.readNBytes(METADATA_BYTES), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no metadata: the task's times come from its objects
        }
    }
}
