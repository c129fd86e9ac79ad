package dev.reclaim.imports;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayoutTest {
    private static final String RUN = "0123456789abcdef0123456789abcdef";

    @Test
    void aPatternMapsProjectTaskKindAndTheRestAsTheName() {
        Layout layout = Layout.parse("{project}/{task}/{kind}/**");

        assertThat(layout.place("vision/exp-1/models/epoch/1.ckpt")).isEqualTo(new Placement.Found(
                new TaskRef("vision/exp-1", "vision", "exp-1"), ArtifactKind.MODEL, "epoch/1.ckpt"));
        assertThat(layout.place("vision/exp-1/debug/a.png"))
                .extracting(p -> ((Placement.Found) p).kind()).isEqualTo(ArtifactKind.DEBUG_SAMPLE);
    }

    @Test
    void keysThatDoNotFitThePatternAreOutsideIt() {
        Layout layout = Layout.parse("data/{project}/{task}/{kind}/**");

        assertThat(layout.place("data/vision/exp-1/models")).isEqualTo(Placement.OUTSIDE);
        assertThat(layout.place("other/vision/exp-1/models/a")).isEqualTo(Placement.OUTSIDE);
        assertThat(layout.place("data/vision/exp-1/unknown-kind/a")).isEqualTo(Placement.OUTSIDE);
        assertThat(layout.place("README.md")).isEqualTo(Placement.OUTSIDE);
    }

    @Test
    void aTasksKindsAreOneTaskWhereverThePatternPutsTheKind() {
        Layout layout = Layout.parse("{kind}/{project}/{task}/**");

        Placement.Found model = (Placement.Found) layout.place("models/vision/exp-1/a.ckpt");
        Placement.Found sample = (Placement.Found) layout.place("debug/vision/exp-1/a.png");

        assertThat(model.task()).isEqualTo(sample.task());
    }

    @Test
    void withoutAKindEveryObjectIsAnArtifact() {
        Placement.Found f = (Placement.Found) Layout.parse("{task}/*/**").place("run-1/x/y.bin");

        assertThat(f.kind()).isEqualTo(ArtifactKind.ARTIFACT);
        assertThat(f.task()).isEqualTo(new TaskRef("run-1", null, "run-1"));
        assertThat(f.name()).isEqualTo("y.bin");
    }

    @Test
    void aPatternWithoutATaskOrTheTrailingWildcardIsRefusedSayingHowToWriteIt() {
        assertThatThrownBy(() -> Layout.parse("{project}/{kind}/**")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no {task}").hasMessageContaining("{project}/{task}/{kind}/**");
        assertThatThrownBy(() -> Layout.parse("{project}/{task}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'/**'");
        assertThatThrownBy(() -> Layout.parse("{task}/{task}/**")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> Layout.parse("{task}/x{y}/**")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Layout.parse(" ")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void mlflowRunArtifactsAreArtifactsAndItsOwnFilesAreMetadataOrOutside() {
        Layout mlflow = Layout.parse("mlflow");

        assertThat(mlflow.place("1/" + RUN + "/artifacts/model/MLmodel")).isEqualTo(new Placement.Found(
                new TaskRef("1/" + RUN, "1", RUN), ArtifactKind.ARTIFACT, "model/MLmodel"));
        assertThat(mlflow.place("1/meta.yaml")).isEqualTo(Placement.METADATA);
        assertThat(mlflow.place("1/" + RUN + "/meta.yaml")).isEqualTo(Placement.METADATA);
        assertThat(mlflow.place("1/" + RUN + "/metrics/loss")).isEqualTo(Placement.METADATA);
        assertThat(mlflow.place("1/" + RUN + "/params/lr")).isEqualTo(Placement.METADATA);
        assertThat(mlflow.place(".trash/1/" + RUN + "/artifacts/a")).isEqualTo(Placement.OUTSIDE);
        assertThat(mlflow.place("models/my-model/version-1/meta.yaml")).isEqualTo(Placement.OUTSIDE);
        assertThat(mlflow.place("1/" + RUN + "/notes.txt")).isEqualTo(Placement.OUTSIDE);
    }

    @Test
    void mlflowMetadataGivesTheRunsNameProjectStatusAndTimes() {
        Layout mlflow = Layout.parse("mlflow");
        Map<String, String> files = Map.of(
                "1/meta.yaml", "artifact_location: file:///tmp/mlruns/1\nexperiment_id: '1'\nlifecycle_stage: active\n"
                        + "name: vision\n",
                "1/" + RUN + "/meta.yaml", "artifact_uri: file:///tmp/mlruns/1/" + RUN + "/artifacts\nend_time: 1700000060000\n"
                        + "entry_point_name: ''\nexperiment_id: '1'\nlifecycle_stage: deleted\nrun_id: " + RUN + "\n"
                        + "run_name: bold-fox-7\nstart_time: 1700000000000\nstatus: 4\ntags: []\nuser_id: me\n");

        TaskMetadata meta = mlflow.metadata(new TaskRef("1/" + RUN, "1", RUN), k -> Optional.ofNullable(files.get(k)));

        assertThat(meta).isEqualTo(new TaskMetadata("bold-fox-7", "vision", TaskStatus.FAILED,
                Instant.ofEpochMilli(1700000000000L), Instant.ofEpochMilli(1700000060000L), true));
    }

    @Test
    void anMlflowRunWithoutMetadataIsKnownByItsKeysOnly() {
        TaskMetadata meta = Layout.parse("mlflow").metadata(new TaskRef("1/" + RUN, "1", RUN), k -> Optional.empty());

        assertThat(meta).isEqualTo(TaskMetadata.NONE);
    }

    @Test
    void mlflowStatusesMapOntoTaskStatuses() {
        assertThat(MlflowLayout.status("3")).isEqualTo(TaskStatus.COMPLETED);
        assertThat(MlflowLayout.status("FINISHED")).isEqualTo(TaskStatus.COMPLETED);
        assertThat(MlflowLayout.status("5")).isEqualTo(TaskStatus.CANCELED);
        assertThat(MlflowLayout.status("1")).isEqualTo(TaskStatus.CREATED);
        assertThat(MlflowLayout.status("nonsense")).isNull();
    }

    @Test
    void clearmlTaskFoldersGiveNameIdAndKindFromTheirFolder() {
        Layout clearml = Layout.parse("clearml");

        assertThat(clearml.place("vision/train v2.1." + RUN + "/models/best.pt")).isEqualTo(new Placement.Found(
                new TaskRef("vision/train v2.1." + RUN, "vision", "train v2.1"), ArtifactKind.MODEL, "best.pt"));
        assertThat(clearml.place("vision/t." + RUN + "/metrics/val/img/0001.png"))
                .extracting(p -> ((Placement.Found) p).kind()).isEqualTo(ArtifactKind.DEBUG_SAMPLE);
        assertThat(clearml.place("vision/t." + RUN + "/artifacts/data/x.csv"))
                .extracting(p -> ((Placement.Found) p).name()).isEqualTo("data/x.csv");
    }

    @Test
    void aNestedClearmlProjectIsEverySegmentBeforeTheTask() {
        Placement.Found f = (Placement.Found) Layout.parse("clearml").place("team/vision/t." + RUN + "/models/a");

        assertThat(f.task().project()).isEqualTo("team/vision");
    }

    @Test
    void clearmlKeysWithoutATaskIdOrKindFolderAreOutside() {
        Layout clearml = Layout.parse("clearml");

        assertThat(clearml.place("vision/train/models/best.pt")).isEqualTo(Placement.OUTSIDE);
        assertThat(clearml.place("vision/t." + RUN + "/other/a")).isEqualTo(Placement.OUTSIDE);
        assertThat(clearml.place("t." + RUN + "/models/a")).as("no project").isEqualTo(Placement.OUTSIDE);
        assertThat(clearml.place("vision/t." + RUN + "/models")).isEqualTo(Placement.OUTSIDE);
    }

    @Test
    void simpleYamlReadsTopLevelScalarsOnly() {
        Map<String, String> v = SimpleYaml.scalars("a: 1\nb: 'it''s'\nc: \"q\"\nd: null\nnested:\n  e: 2\nf: x # note\n- item\n");

        assertThat(v).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "it's", "c", "q", "f", "x"));
    }
}
