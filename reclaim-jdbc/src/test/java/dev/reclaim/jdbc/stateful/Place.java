package dev.reclaim.jdbc.stateful;

import dev.reclaim.store.ArtifactStore;

import java.util.List;
import java.util.Optional;

/**
 * Where a sequence's artifact store keeps its objects, seen from outside Reclaim: the store opened
 * afresh after every crash, and raw access to what is there, for planting other people's files and
 * checking them and what Reclaim left.
 */
interface Place {
    /** The artifact store on this place, as a (re)started process opens it. */
    ArtifactStore open();

    /** Writes a file someone else put there, at {@code name} relative to the root ({@code ../x}: beside it). */
    void putForeign(String name, byte[] bytes);

    /** The bytes at {@code name} relative to the root, or empty when nothing is there. */
    Optional<byte[]> read(String name);

    /** Every object under the root, relative to it, the root's marker included. */
    List<String> everything();
}
