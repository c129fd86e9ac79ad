package dev.reclaim.store;

import dev.reclaim.model.Artifact;

import java.util.Objects;

/**
 * A model detached from its deleted task (no task, LIVE), as {@link TaskStore#unusedDetachedModels}
 * lists it.
 *
 * @param model         the artifact record (its task id is null)
 * @param keptOnRequest kept because its task was deleted with "keep output models"
 */
public record DetachedModel(Artifact model, boolean keptOnRequest) {
    public DetachedModel {
        Objects.requireNonNull(model, "model");
    }

    /**
     * Whether it is kept by design once no live task uses it: published, or kept on request. Any
     * other detached model with no user was kept only for users that are gone (a leak of versions
     * before such models were deleted with their last user), and fsck repairs it.
     */
    public boolean keptByDesign() {
        return model.published() || keptOnRequest;
    }
}
