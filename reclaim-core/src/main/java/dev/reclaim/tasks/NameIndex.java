package dev.reclaim.tasks;

import dev.reclaim.model.Artifact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LIVE artifact names of one kind in one task, indexed for a batch: {@link NameClashes#check}
 * for each of n items against a growing list costs n² name foldings, too slow for 10,000 items; the
 * index answers each item with a few map lookups and gives the same refusals (it hands the one
 * clashing artifact to {@link NameClashes} for the message).
 */
final class NameIndex {
    private final Map<String, List<Artifact>> exact = new HashMap<>();
    /** Folded name to an artifact with it (a file). */
    private final Map<String, Artifact> files = new HashMap<>();
    /** Folded folder (every proper prefix ending before a '/') to an artifact that needs it. */
    private final Map<String, Artifact> folders = new HashMap<>();

    NameIndex(List<Artifact> live) {
        live.forEach(this::add);
    }

    /** The artifacts with exactly this name. */
    List<Artifact> named(String name) {
        return exact.getOrDefault(name, List.of());
    }

    /**
     * Refuses a name that clashes with an indexed one, as {@link NameClashes#check} does.
     *
     * @throws dev.reclaim.InvalidArgumentException naming the clashing artifact and why
     */
    void check(String taskId, String name) {
        String folded = NameClashes.fold(name);
        Artifact same = files.get(folded);
        if (same != null && !exact.containsKey(name)) {
            NameClashes.check(taskId, name, List.of(same));
        }
        for (int i = folded.indexOf('/'); i >= 0; i = folded.indexOf('/', i + 1)) {
            Artifact file = files.get(folded.substring(0, i));
            if (file != null) {
                NameClashes.check(taskId, name, List.of(file));
            }
        }
        Artifact inside = folders.get(folded);
        if (inside != null) {
            NameClashes.check(taskId, name, List.of(inside));
        }
    }

    /** Indexes one more artifact (a record the batch is about to register). */
    void add(Artifact a) {
        exact.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
        String folded = NameClashes.fold(a.name());
        files.putIfAbsent(folded, a);
        for (int i = folded.indexOf('/'); i >= 0; i = folded.indexOf('/', i + 1)) {
            folders.putIfAbsent(folded.substring(0, i), a);
        }
    }
}
