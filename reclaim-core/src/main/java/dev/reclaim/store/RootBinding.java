package dev.reclaim.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Which artifact root a task store's records live in, as the task store keeps it: the root's id
 * (the one in its {@link RootMarker}) under a name: {@link #DEFAULT_NAME} for the root Reclaim writes
 * into, a store name ({@link dev.reclaim.model.Names#STORE_NAME}) for each named artifact store whose
 * objects are registered in place.
 *
 * @param name     the root's name in this task store
 * @param rootId   the id in the root's marker
 * @param location where the root was when it was bound ({@link ArtifactStore#describe()}), for messages
 * @param boundAt  when it was bound
 */
public record RootBinding(String name, String rootId, String location, Instant boundAt) {
    /** The name of the root Reclaim writes into. */
    public static final String DEFAULT_NAME = "default";

    public RootBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rootId, "rootId");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(boundAt, "boundAt");
    }
}
