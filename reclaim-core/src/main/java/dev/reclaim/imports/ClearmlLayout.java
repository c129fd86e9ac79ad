package dev.reclaim.imports;

import dev.reclaim.model.ArtifactKind;

import java.util.Arrays;

/**
 * A ClearML output tree: {@code <project>/<task name>.<task id>/{artifacts,models,metrics}/**}, the
 * task id 32 hexadecimal digits. {@code artifacts/} are {@code ARTIFACT}s, {@code models/}
 * {@code MODEL}s, {@code metrics/} (debug samples) {@code DEBUG_SAMPLE}s. A project may be nested
 * ({@code parent/child/<task>...}): every segment before the task's is the project.
 */
final class ClearmlLayout implements Layout {

    @Override
    public Placement place(String key) {
        String[] s = key.split("/", -1);
        for (int i = 1; i + 2 < s.length; i++) {
            ArtifactKind kind = switch (s[i + 1]) {
                case "artifacts" -> ArtifactKind.ARTIFACT;
                case "models" -> ArtifactKind.MODEL;
                case "metrics" -> ArtifactKind.DEBUG_SAMPLE;
                default -> null;
            };
            int dot = s[i].lastIndexOf('.');
            if (kind != null && dot > 0 && isTaskId(s[i].substring(dot + 1))) {
                String project = String.join("/", Arrays.copyOfRange(s, 0, i));
                String id = project + "/" + s[i];
                String name = String.join("/", Arrays.copyOfRange(s, i + 2, s.length));
                return new Placement.Found(new TaskRef(id, project, s[i].substring(0, dot)), kind, name);
            }
        }
        return Placement.OUTSIDE;
    }

    static boolean isTaskId(String v) {
        if (v.length() != 32) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String spec() {
        return "clearml";
    }

    @Override
    public String toString() {
        return spec();
    }
}
