package dev.reclaim.store;

import dev.reclaim.Json;
import dev.reclaim.model.Ids;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity marker of an artifact root: a small JSON document named {@link #NAME} at the top of
 * the root (a file in a folder, an object under an S3 prefix), written when Reclaim claims the root.
 * It names the root ({@code root_id}) and the task store whose records describe its objects
 * ({@code task_store_id}); the task store keeps the same pair ({@link RootBinding}), so each side
 * can tell whether the other is the one it belongs to. The name starts with
 * {@link StorageKeys#RESERVED_PREFIX}, so it is no storage key: never listed, read, written or
 * deleted through key operations.
 *
 * @param rootId      the root's id, made when it was claimed
 * @param taskStoreId the id of the task store that claimed it ({@link TaskStore#storeId()})
 * @param createdAt   when it was claimed
 */
public record RootMarker(String rootId, String taskStoreId, Instant createdAt) {
    /** Name of the marker at the top of a root. */
    public static final String NAME = StorageKeys.RESERVED_PREFIX + "-root";
    /** The most bytes a marker may have; a longer one is not Reclaim's. */
    public static final int MAX_BYTES = 4096;
    private static final String FORMAT = "reclaim-artifact-root";

    public RootMarker {
        Objects.requireNonNull(rootId, "rootId");
        Objects.requireNonNull(taskStoreId, "taskStoreId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A marker for a newly claimed root. */
    public static RootMarker claim(String taskStoreId, Instant now) {
        return new RootMarker(Ids.next(now), taskStoreId, now);
    }

    /** The document written to the root. */
    public String toJson() {
        return Json.write(new Document(FORMAT, 1, rootId, taskStoreId, createdAt.toString()));
    }

    /** Parses a marker's text; empty when it is not a marker Reclaim wrote (damaged, or another program's file). */
    public static Optional<RootMarker> parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_BYTES) {
            return Optional.empty();
        }
        try {
            Document d = Json.mapper().readValue(text, Document.class);
            if (!FORMAT.equals(d.format) || d.rootId == null || d.rootId.isBlank() || d.taskStoreId == null
                    || d.taskStoreId.isBlank() || d.createdAt == null) {
                return Optional.empty();
            }
            return Optional.of(new RootMarker(d.rootId, d.taskStoreId, Instant.parse(d.createdAt)));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The JSON shape; {@code version} lets a later format be told apart. */
    private record Document(@JsonProperty("format") String format, @JsonProperty("version") int version,
                            @JsonProperty("root_id") String rootId, @JsonProperty("task_store_id") String taskStoreId,
                            @JsonProperty("created_at") String createdAt) {
    }
}
