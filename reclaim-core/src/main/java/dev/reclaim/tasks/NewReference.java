package dev.reclaim.tasks;

import dev.reclaim.model.ArtifactKind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One object to register in place as an artifact ({@link Tasks#registerArtifacts}).
 *
 * @param taskId  the task it becomes an artifact of
 * @param kind    its kind
 * @param name    its name in the task
 * @param store   the named store that holds it, or {@code default} (null too) for the default root
 *                ({@link StoreRefs#resolve} finds it from a URI)
 * @param key     the object's key in that store
 * @param metrics numeric metrics to record with it (may be empty)
 * @param replace supersede a LIVE artifact of the task with this kind and name
 */
public record NewReference(String taskId, ArtifactKind kind, String name, String store, String key,
                           Map<String, Double> metrics, boolean replace) {
    public NewReference {
        Objects.requireNonNull(kind, "kind");
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
