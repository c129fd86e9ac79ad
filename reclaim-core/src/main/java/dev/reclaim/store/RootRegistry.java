package dev.reclaim.store;

import java.util.List;
import java.util.Optional;

/**
 * The store's identity and the artifact roots bound to it. One of the role ports of a {@link
 * TaskStore}; see docs/architecture.md.
 */
public interface RootRegistry {

    /**
     * This task store's id: made once, when its schema is created, and the same for every process
     * that opens it (a copy of the database is the same store). The artifact root's marker names it.
     */
    String storeId();

    /**
     * The artifact root bound under {@code name}, if any: {@link RootBinding#DEFAULT_NAME} for the
     * root Reclaim writes into, a store name for a named artifact store.
     */
    Optional<RootBinding> artifactRoot(String name);

    /** Every binding, the default root's and the named stores', ordered by name. */
    List<RootBinding> artifactRoots();

    /**
     * Binds {@code binding.name()} to its root unless a root is already bound under that name.
     *
     * @return the binding in place afterwards: the given one, or the one another process bound first
     */
    RootBinding bindArtifactRoot(RootBinding binding);

    /**
     * Binds {@code binding.name()} to its root, replacing any binding under that name. Only for a
     * person who explicitly adopts a root ({@link ArtifactRoots#adopt}).
     */
    void rebindArtifactRoot(RootBinding binding);
}
