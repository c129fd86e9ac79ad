package dev.reclaim.tasks;

import dev.reclaim.model.Artifact;

import java.util.List;

/**
 * What {@link Tasks#addArtifact(String, dev.reclaim.model.ArtifactKind, String, java.nio.file.Path, boolean)} did.
 *
 * @param artifact   the new LIVE artifact
 * @param superseded the artifacts of the same name and kind it replaced (their records and objects
 *                   deleted through the deletion engine); empty for a plain add
 */
public record AddedArtifact(Artifact artifact, List<Artifact> superseded) {
    public AddedArtifact {
        superseded = List.copyOf(superseded);
    }
}
