package dev.reclaim.worker;

import dev.reclaim.model.ArtifactKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which side files become metrics, and what a bad one turns into. */
class SideFileMetricsTest {
    @TempDir
    Path tmp;
    final List<String> warnings = new ArrayList<>();

    private CollectedFile file(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return new CollectedFile(ArtifactKind.MODEL, name, "tasks/t/models/" + name, f, Files.size(f));
    }

    private static List<String> names(SideFileMetrics.Paired p) {
        return p.files().stream().map(CollectedFile::name).toList();
    }

    @Test
    void aSideFileNextToItsOutputIsReadAndLeftOut() throws Exception {
        CollectedFile ckpt = file("ckpt/e3.pt", "w");
        SideFileMetrics.Paired p = SideFileMetrics.pair(List.of(ckpt, file("ckpt/e3.pt.metrics.json",
                "{\"val_loss\": 0.31, \"epoch\": 3}")), warnings::add);

        assertThat(names(p)).containsExactly("ckpt/e3.pt");
        assertThat(p.metrics()).containsExactly(Map.entry(ckpt.file(), Map.of("val_loss", 0.31, "epoch", 3.0)));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aSideFileInAnotherFolderThanItsNamesakeIsAnOrdinaryArtifact() throws Exception {
        SideFileMetrics.Paired p = SideFileMetrics.pair(List.of(file("a/e3.pt", "w"), file("b/e3.pt.metrics.json", "{\"x\": 1}"),
                file(".metrics.json", "{\"x\": 1}")), warnings::add);

        assertThat(names(p)).containsExactly("a/e3.pt", "b/e3.pt.metrics.json", ".metrics.json");
        assertThat(p.metrics()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void whatIsNotAFlatObjectOfFiniteNumbersIsKeptWithAWarningEach() throws Exception {
        List<CollectedFile> files = new ArrayList<>();
        String[] bad = {"{\"a\": {\"b\": 1}}", "{\"a\": null}", "{\"a\": 1e999}", "{\"a\": 1} {\"b\": 2}", "{\"a\": ",
            "{\" a\": 1}", "3"};
        for (int i = 0; i < bad.length; i++) {
            files.add(file("m" + i, "w"));
            files.add(file("m" + i + ".metrics.json", bad[i]));
        }

        SideFileMetrics.Paired p = SideFileMetrics.pair(files, warnings::add);

        assertThat(p.files()).hasSameSizeAs(files);
        assertThat(p.metrics()).isEmpty();
        assertThat(warnings).hasSize(bad.length)
                .allSatisfy(w -> assertThat(w).startsWith("kept m").contains(" as an artifact, not as metrics of m")
                        .doesNotContain("\n"));
    }

    @Test
    void aSideFileOfASideFileThatIsReadHasNoOutputToBelongTo() throws Exception {
        CollectedFile x = file("x", "w");
        SideFileMetrics.Paired p = SideFileMetrics.pair(List.of(x, file("x.metrics.json", "{\"a\": 1}"),
                file("x.metrics.json.metrics.json", "{\"b\": 2}")), warnings::add);

        assertThat(names(p)).containsExactly("x", "x.metrics.json.metrics.json");
        assertThat(p.metrics()).containsExactly(Map.entry(x.file(), Map.of("a", 1.0)));
    }
}
