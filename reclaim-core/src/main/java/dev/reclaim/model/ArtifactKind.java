package dev.reclaim.model;

import dev.reclaim.InvalidArgumentException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an artifact is (docs/rules.md section 1). */
public enum ArtifactKind {
    /** A model checkpoint, snapshot or weights; may be published or used as input by other tasks. */
    MODEL("models"),
    /** Any other output file. */
    ARTIFACT("artifacts"),
    /** Images, audio, html written while running. */
    DEBUG_SAMPLE("debug"),
    /** Console output. */
    LOG("logs"),
    /** The job's return value. */
    RESULT("results");

    private final String folder;

    ArtifactKind(String folder) {
        this.folder = folder;
    }

    /** The folder name used for this kind in storage keys and in a job's output folder. */
    public String folder() {
        return folder;
    }

    /**
     * Parses a kind case-insensitively ({@code model}, {@code debug_sample}).
     *
     * @throws InvalidArgumentException naming the accepted values when the name is unknown
     */
    public static ArtifactKind parse(String name) {
        if (name != null) {
            String upper = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ArtifactKind k : values()) {
                if (k.name().equals(upper)) {
                    return k;
                }
            }
        }
        throw new InvalidArgumentException("unknown artifact kind '" + name + "'; use one of "
                + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
