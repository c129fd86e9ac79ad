package dev.reclaim.imports;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.ArtifactKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A layout given as a pattern of key segments: {@code {project}}, {@code {task}} (required),
 * {@code {kind}}, {@code *} (any one segment), literal segments, and {@code **} as the last segment
 * (the artifact's name: the rest of the key, at least one segment). A {@code {kind}} segment is a
 * kind's folder or name ({@code models}, {@code model}, {@code artifacts}, {@code debug},
 * {@code debug_sample}, {@code metrics}, {@code logs}, {@code results}); without one every object
 * is an {@code ARTIFACT}. Without {@code {project}} the project is {@code default} (or
 * {@code --project}).
 */
final class PatternLayout implements Layout {
    private static final String HOW = "; a pattern is segments separated by '/': {project}, {task} (required), {kind}, "
            + "'*' (any one segment) or literal names, ending in '**' (the artifact's name), such as "
            + "'{project}/{task}/{kind}/**'";

    private enum Part { PROJECT, TASK, KIND, ANY, LITERAL }

    private final String spec;
    private final Part[] parts;
    private final String[] literals;

    private PatternLayout(String spec, Part[] parts, String[] literals) {
        this.spec = spec;
        this.parts = parts;
        this.literals = literals;
    }

    static PatternLayout parse(String spec) {
        String[] segments = spec.split("/", -1);
        if (segments.length < 2 || !segments[segments.length - 1].equals("**")) {
            throw new InvalidArgumentException("layout pattern '" + spec + "' does not end in '/**'" + HOW
                    + "; or use --layout mlflow or --layout clearml");
        }
        List<Part> parts = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < segments.length - 1; i++) {
            String s = segments[i];
            Part p = switch (s) {
                case "{project}" -> Part.PROJECT;
                case "{task}" -> Part.TASK;
                case "{kind}" -> Part.KIND;
                case "*" -> Part.ANY;
                default -> Part.LITERAL;
            };
            if (p == Part.LITERAL && (s.isEmpty() || s.contains("{") || s.contains("}") || s.contains("*")
                    || s.equals(".") || s.equals(".."))) {
                throw new InvalidArgumentException("layout pattern '" + spec + "' has the segment '" + s + "', which is "
                        + "neither a placeholder nor a plain name" + HOW);
            }
            if (p != Part.LITERAL && p != Part.ANY && parts.contains(p)) {
                throw new InvalidArgumentException("layout pattern '" + spec + "' has " + s + " twice" + HOW);
            }
            parts.add(p);
            literals.add(s);
        }
        if (!parts.contains(Part.TASK)) {
            throw new InvalidArgumentException("layout pattern '" + spec + "' has no {task}: every artifact must belong to a "
                    + "task" + HOW);
        }
        return new PatternLayout(spec, parts.toArray(new Part[0]), literals.toArray(new String[0]));
    }

    @Override
    public Placement place(String key) {
        String[] segments = key.split("/", -1);
        if (segments.length <= parts.length) {
            return Placement.OUTSIDE;
        }
        String project = null;
        String task = null;
        ArtifactKind kind = ArtifactKind.ARTIFACT;
        StringBuilder id = new StringBuilder();
        int idEnd = -1;
        for (int i = 0; i < parts.length; i++) {
            String s = segments[i];
            switch (parts[i]) {
                case PROJECT -> project = s;
                case TASK -> {
                    task = s;
                    idEnd = i;
                }
                case KIND -> {
                    kind = kindOf(s);
                    if (kind == null) {
                        return Placement.OUTSIDE;
                    }
                }
                case LITERAL -> {
                    if (!s.equals(literals[i])) {
                        return Placement.OUTSIDE;
                    }
                }
                case ANY -> { }
            }
        }
        // The task is the key's prefix up to its {task} segment, leaving out {kind}: the kinds of one
        // task are one task wherever the pattern puts them.
        for (int i = 0; i <= idEnd; i++) {
            if (parts[i] != Part.KIND) {
                id.append(id.length() == 0 ? "" : "/").append(segments[i]);
            }
        }
        String name = String.join("/", Arrays.copyOfRange(segments, parts.length, segments.length));
        return new Placement.Found(new TaskRef(id.toString(), project, task), kind, name);
    }

    /** The kind a {@code {kind}} segment names; null for none. */
    static ArtifactKind kindOf(String segment) {
        String s = segment.toLowerCase(Locale.ROOT).replace('-', '_');
        for (ArtifactKind k : ArtifactKind.values()) {
            if (k.folder().equals(s) || k.name().toLowerCase(Locale.ROOT).equals(s)) {
                return k;
            }
        }
        return switch (s) {
            case "metrics", "debug_samples", "samples" -> ArtifactKind.DEBUG_SAMPLE;
            case "model", "checkpoints" -> ArtifactKind.MODEL;
            default -> null;
        };
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec;
    }
}
