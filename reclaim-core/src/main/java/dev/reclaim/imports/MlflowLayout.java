package dev.reclaim.imports;

import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An MLflow {@code mlruns} tree (its file store): {@code <experiment id>/<run id>/artifacts/**} are a
 * run's artifacts (kind {@code ARTIFACT}); {@code <experiment>/meta.yaml} names the experiment (the
 * project), {@code <experiment>/<run>/meta.yaml} the run ({@code run_name}, {@code start_time} and
 * {@code end_time} in epoch milliseconds, {@code status}, {@code lifecycle_stage}). A run's
 * {@code metrics/}, {@code params/} and {@code tags/} files are metadata; {@code .trash/} and
 * {@code models/} (the model registry) are outside the layout.
 */
final class MlflowLayout implements Layout {
    private static final String META = "meta.yaml";

    @Override
    public Placement place(String key) {
        String[] s = key.split("/", 4);
        if (s[0].startsWith(".") || s[0].equals("models")) {
            return Placement.OUTSIDE;
        }
        if (s.length == 2 && s[1].equals(META)) {
            return Placement.METADATA;
        }
        if (s.length == 3 && s[2].equals(META)) {
            return Placement.METADATA;
        }
        if (s.length < 4) {
            return Placement.OUTSIDE;
        }
        return switch (s[2]) {
            case "artifacts" -> new Placement.Found(new TaskRef(s[0] + "/" + s[1], s[0], s[1]), ArtifactKind.ARTIFACT, s[3]);
            case "metrics", "params", "tags", "inputs", "outputs" -> Placement.METADATA;
            default -> Placement.OUTSIDE;
        };
    }

    @Override
    public TaskMetadata metadata(TaskRef task, Function<String, Optional<String>> read) {
        String experiment = task.id().substring(0, task.id().indexOf('/'));
        Map<String, String> exp = read.apply(experiment + "/" + META).map(SimpleYaml::scalars).orElse(Map.of());
        Map<String, String> run = read.apply(task.id() + "/" + META).map(SimpleYaml::scalars).orElse(Map.of());
        Instant start = millis(run.get("start_time"));
        Instant end = millis(run.get("end_time"));
        return new TaskMetadata(run.get("run_name"), exp.get("name"), status(run.get("status")), start, end,
                "deleted".equals(run.get("lifecycle_stage")) || "deleted".equals(exp.get("lifecycle_stage")));
    }

    /**
     * MLflow's run status, as its file store writes it (a number: 1 RUNNING, 2 SCHEDULED, 3 FINISHED,
     * 4 FAILED, 5 KILLED) or as a name. A run that is still RUNNING or SCHEDULED there runs nowhere
     * Reclaim knows of: it is imported as a draft.
     */
    static TaskStatus status(String v) {
        if (v == null) {
            return null;
        }
        return switch (v.trim().toUpperCase(Locale.ROOT)) {
            case "3", "FINISHED" -> TaskStatus.COMPLETED;
            case "4", "FAILED" -> TaskStatus.FAILED;
            case "5", "KILLED" -> TaskStatus.CANCELED;
            case "1", "2", "RUNNING", "SCHEDULED" -> TaskStatus.CREATED;
            default -> null;
        };
    }

    private static Instant millis(String v) {
        if (v == null) {
            return null;
        }
        try {
            long ms = Long.parseLong(v.trim());
            return ms <= 0 ? null : Instant.ofEpochMilli(ms);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String spec() {
        return "mlflow";
    }

    @Override
    public String toString() {
        return spec();
    }
}
