package dev.reclaim.jdbc.stateful;

import dev.reclaim.model.ArtifactKind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sequence did, as far as its outcome is known: the tasks it created, the bytes of every
 * artifact it added, adds whose outcome a crash hid (their bytes are expected under a LIVE record
 * only if it is theirs), and the files someone else put in and beside the artifact root.
 */
final class Reference {
    /** An add whose caller never learned whether it took effect. */
    record UnknownAdd(String taskId, ArtifactKind kind, String name, byte[] bytes) {
    }

    final List<String> taskIds = new ArrayList<>();
    final List<String> modelIds = new ArrayList<>();
    final Map<String, byte[]> bytesById = new HashMap<>();
    final List<UnknownAdd> unknownAdds = new ArrayList<>();
    /** Files someone else put in and beside the artifact root, by name relative to it. */
    final Map<String, byte[]> foreignFiles = new LinkedHashMap<>();
    private int made;

    /** Content no other add has: the add's number, then filler, {@code size} bytes at least 8. */
    byte[] newContent(int size) {
        byte[] b = new byte[Math.max(8, size)];
        Arrays.fill(b, (byte) ('a' + made % 26));
        byte[] n = String.format("%08d", made++).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, b, 0, n.length);
        return b;
    }

    /** The task at a generated index, or null before any exists. */
    String task(int index) {
        return taskIds.isEmpty() ? null : taskIds.get(Math.floorMod(index, taskIds.size()));
    }

    /** The model at a generated index, or null before any exists. */
    String model(int index) {
        return modelIds.isEmpty() ? null : modelIds.get(Math.floorMod(index, modelIds.size()));
    }

    void added(String artifactId, ArtifactKind kind, byte[] bytes) {
        bytesById.put(artifactId, bytes);
        if (kind == ArtifactKind.MODEL) {
            modelIds.add(artifactId);
        }
    }
}
