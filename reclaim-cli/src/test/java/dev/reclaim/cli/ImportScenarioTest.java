package dev.reclaim.cli;

import dev.reclaim.Json;
import dev.reclaim.cli.Cli.Run;
import dev.reclaim.imports.Importer;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.StorageKeys;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reclaim import} end to end (issue 18 item 2): an MLflow {@code mlruns} tree and a ClearML
 * output tree, each built here from the documented layout with 1,100 artifacts plus metadata and
 * files outside the layout, on a folder and on S3 (S3Proxy). Each is imported, its artifacts are
 * listed with their sizes, a second import adds nothing, the tasks are archived and cleaned up by
 * the Cleanup Service, fsck is clean, and what lies outside the layout is untouched throughout.
 */
class ImportScenarioTest {
    private static final S3ProxyFixture S3 = S3ProxyFixture.shared();
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final int TASKS = 10;
    private static final int PER_TASK = 110;

    @TempDir
    Path tmp;

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyFixture.SECRET_KEY);
    }

    @AfterAll
    static void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** A tree of objects being built: on a folder or under an S3 prefix. */
    interface Tree {
        void put(String key, byte[] bytes, Instant modified);

        /** Every key under the tree, sorted. */
        List<String> keys();

        String location();
    }

    static final class FolderTree implements Tree {
        final Path root;

        FolderTree(Path root) {
            this.root = root;
        }

        @Override
        public void put(String key, byte[] bytes, Instant modified) {
            try {
                Path p = root.resolve(key);
                Files.createDirectories(p.getParent());
                Files.write(p, bytes);
                Files.setLastModifiedTime(p, FileTime.from(modified));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public List<String> keys() {
            return Cli.filesUnder(root);
        }

        @Override
        public String location() {
            return root.toString();
        }
    }

    static final class BucketTree implements Tree {
        final String bucket;
        final String prefix;

        BucketTree(String bucket, String prefix) {
            this.bucket = bucket;
            this.prefix = prefix;
        }

        @Override
        public void put(String key, byte[] bytes, Instant modified) {
            S3.admin().putObject(r -> r.bucket(bucket).key(prefix + "/" + key), RequestBody.fromBytes(bytes));
        }

        @Override
        public List<String> keys() {
            return S3.rawKeys(bucket).stream().filter(k -> k.startsWith(prefix + "/"))
                    .map(k -> k.substring(prefix.length() + 1)).toList();
        }

        @Override
        public String location() {
            return "s3://" + bucket + "/" + prefix;
        }
    }

    /** What a built tree holds: every artifact's key and size, and what lies outside the layout. */
    record Built(Map<String, Long> artifacts, List<String> untouched, int outside, int metadata, Instant oldest) {
        long bytes() {
            return artifacts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static byte[] content(String key, int i) {
        byte[] b = new byte[1 + (i * 37) % 400];
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        for (int j = 0; j < b.length; j++) {
            b[j] = k[j % k.length];
        }
        return b;
    }

    private static String hex(int i) {
        return String.format("%032x", 0xabc000L + i);
    }

    /** An mlruns tree: two experiments, ten runs of 110 artifacts, run metadata, and strays. */
    static Built mlflow(Tree tree) {
        Map<String, Long> artifacts = new TreeMap<>();
        List<String> untouched = new ArrayList<>();
        int i = 0;
        for (String exp : List.of("1", "2")) {
            tree.put(exp + "/meta.yaml", ("artifact_location: file:///x/mlruns/" + exp + "\nexperiment_id: '" + exp + "'\n"
                    + "lifecycle_stage: active\nname: " + (exp.equals("1") ? "vision" : "nlp") + "\n")
                    .getBytes(StandardCharsets.UTF_8), T0);
            untouched.add(exp + "/meta.yaml");
        }
        for (int r = 0; r < TASKS; r++) {
            String exp = r < 5 ? "1" : "2";
            String run = exp + "/" + hex(r);
            if (r != 9) { // the last run has no meta.yaml: it is known by its keys only
                tree.put(run + "/meta.yaml", ("artifact_uri: file:///x/mlruns/" + run + "/artifacts\nend_time: "
                        + T0.plusSeconds(3600 * r + 600).toEpochMilli() + "\nentry_point_name: ''\nexperiment_id: '" + exp
                        + "'\nlifecycle_stage: active\nrun_id: " + hex(r) + "\nrun_name: run-" + r + "\nstart_time: "
                        + T0.plusSeconds(3600 * r).toEpochMilli() + "\nstatus: 3\ntags: []\nuser_id: me\n")
                        .getBytes(StandardCharsets.UTF_8), T0);
                untouched.add(run + "/meta.yaml");
            }
            tree.put(run + "/metrics/loss", "1700000000000 0.5 0\n".getBytes(StandardCharsets.UTF_8), T0);
            tree.put(run + "/params/lr", "0.01".getBytes(StandardCharsets.UTF_8), T0);
            untouched.add(run + "/metrics/loss");
            untouched.add(run + "/params/lr");
            for (int a = 0; a < PER_TASK; a++, i++) {
                String key = run + "/artifacts/" + (a < 10 ? "model/data/part-" + a + ".bin" : "plots/step-" + a + ".png");
                byte[] bytes = content(key, i);
                tree.put(key, bytes, T0.plusSeconds(i));
                artifacts.put(key, (long) bytes.length);
            }
        }
        int metadata = untouched.size();
        for (String stray : List.of(".trash/README", "notes.txt", "1/" + hex(0) + "/stray.txt",
                "models/best/version-1/meta.yaml")) {
            tree.put(stray, "not an artifact".getBytes(StandardCharsets.UTF_8), T0);
            untouched.add(stray);
        }
        return new Built(artifacts, untouched, untouched.size() - metadata, metadata, T0);
    }

    /** A ClearML output tree: ten tasks in two projects (one nested), each 110 artifacts, models and debug samples. */
    static Built clearml(Tree tree) {
        Map<String, Long> artifacts = new TreeMap<>();
        List<String> untouched = new ArrayList<>();
        int i = 0;
        for (int t = 0; t < TASKS; t++) {
            String folder = (t < 5 ? "vision" : "team/nlp") + "/train v" + t + "." + hex(t);
            for (int a = 0; a < PER_TASK; a++, i++) {
                String key = folder + (a < 30 ? "/artifacts/data/table-" + a + ".csv" : a < 70 ? "/models/epoch-" + a + ".pt"
                        : "/metrics/val/image/sample_" + a + ".png");
                byte[] bytes = content(key, i);
                tree.put(key, bytes, T0.plusSeconds(i));
                artifacts.put(key, (long) bytes.length);
            }
        }
        for (String stray : List.of("README.md", "vision/scratch/models/x.pt", "vision/t." + hex(99) + "/other/y.txt")) {
            tree.put(stray, "not an artifact".getBytes(StandardCharsets.UTF_8), T0);
            untouched.add(stray);
        }
        return new Built(artifacts, untouched, untouched.size(), 0, T0);
    }

    private static JsonNode json(Run r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try {
            return Json.mapper().readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }

    /** Every imported task and its live artifacts' sizes by recorded key. */
    private static Map<Task, List<Artifact>> imported(Cli cli) {
        Map<Task, List<Artifact>> out = new HashMap<>();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            for (Task t : store.query(TaskQuery.builder().pageSize(500).build()).items()) {
                if (t.params().containsKey(Importer.SOURCE_PARAM)) {
                    out.put(t, store.artifactsOf(t.id()).stream().filter(a -> a.state() == ArtifactState.LIVE).toList());
                }
            }
        }
        return out;
    }

    private void scenario(Cli cli, Tree tree, String layout, Built built, String store, boolean checkTimes) {
        // A dry run lists what would be registered, with totals, and changes nothing.
        JsonNode plan = json(cli.run("import", tree.location(), "--layout", layout, "--dry-run", "--output", "json"));
        assertThat(plan.get("objects").asLong()).isEqualTo(built.artifacts().size());
        assertThat(plan.get("bytes").asLong()).isEqualTo(built.bytes());
        assertThat(plan.get("new_tasks").asLong()).isEqualTo(TASKS);
        assertThat(plan.get("outside_layout").asLong()).isEqualTo(built.outside());
        assertThat(tree.keys()).doesNotContain(".reclaim-root");
        assertThat(imported(cli)).isEmpty();

        JsonNode first = json(cli.run("import", tree.location(), "--layout", layout, "--output", "json"));
        assertThat(first.get("store").asText()).isEqualTo(store);
        assertThat(first.get("tasks_created").asLong()).isEqualTo(TASKS);
        assertThat(first.get("objects").asLong()).isEqualTo(built.artifacts().size());
        assertThat(first.get("bytes").asLong()).isEqualTo(built.bytes());
        assertThat(first.get("outside_layout").asLong()).isEqualTo(built.outside());
        assertThat(first.get("metadata_files").asLong()).isEqualTo(built.metadata());
        assertThat(first.get("refused").asLong()).isZero();

        // Listed with the sizes the objects have, each object once.
        Map<Task, List<Artifact>> tasks = imported(cli);
        assertThat(tasks).hasSize(TASKS);
        Map<String, Long> recorded = new TreeMap<>();
        tasks.values().forEach(list -> list.forEach(a -> recorded.put(a.storageKey(), a.sizeBytes())));
        Map<String, Long> expected = new TreeMap<>();
        built.artifacts().forEach((k, size) -> expected.put(StorageKeys.mounted(store, k), size));
        assertThat(recorded).isEqualTo(expected);
        assertThat(tasks.values().stream().mapToLong(List::size).sum()).isEqualTo(built.artifacts().size());
        assertThat(tasks.keySet()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
        if (checkTimes) {
            assertThat(tasks.keySet().stream().map(Task::startedAt).min(Instant::compareTo)).hasValue(built.oldest());
        }

        // A second import adds nothing.
        JsonNode second = json(cli.run("import", tree.location(), "--layout", layout, "--output", "json"));
        assertThat(second.get("tasks_created").asLong()).isZero();
        assertThat(second.get("tasks_found").asLong()).isEqualTo(TASKS);
        assertThat(second.get("objects").asLong()).isZero();
        assertThat(second.get("already_registered").asLong()).isEqualTo(built.artifacts().size());
        assertThat(imported(cli)).hasSize(TASKS);

        // Archived, then cleaned by the Cleanup Service: every registered object goes, nothing else.
        List<String> archive = new ArrayList<>(List.of("tasks", "archive"));
        tasks.keySet().forEach(t -> archive.add(t.id()));
        Run archived = cli.run(archive.toArray(String[]::new));
        assertThat(archived.exitCode()).as(archived.toString()).isZero();
        Run cleanup = cli.run("cleanup", "--delete-threshold-days", "0", "--force-delete");
        assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        assertThat(imported(cli)).isEmpty();
        List<String> left = new ArrayList<>(built.untouched());
        left.add(".reclaim-root");
        assertThat(tree.keys()).containsExactlyInAnyOrderElementsOf(left);

        // fsck is clean; what lies outside the layout is unmanaged, kept by a repair, deleted only when named.
        Run fsck = cli.run("fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isZero();
        assertThat(fsck.out()).contains("unmanaged").contains(".reclaim-stores/" + store + "/" + built.untouched().get(0));
        Run repair = cli.run("fsck", "--repair");
        assertThat(repair.exitCode()).as(repair.toString()).isZero();
        assertThat(tree.keys()).containsExactlyInAnyOrderElementsOf(left);
        String named = built.untouched().get(built.untouched().size() - 1);
        Run deleted = cli.run("fsck", "--delete-unmanaged", ".reclaim-stores/" + store + "/" + named);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        left.remove(named);
        assertThat(tree.keys()).containsExactlyInAnyOrderElementsOf(left);
    }

    @Test
    void anMlflowFolderIsImportedListedCleanedAndLeavesWhatIsOutsideTheLayout() {
        Path mlruns = tmp.resolve("mlruns");
        FolderTree tree = new FolderTree(mlruns);
        Built built = mlflow(tree);

        scenario(new Cli(tmp.resolve("home")), tree, "mlflow", built, "mlruns", false);
    }

    @Test
    void mlflowRunMetadataGivesNamesProjectsAndTimes() {
        FolderTree tree = new FolderTree(tmp.resolve("mlruns"));
        mlflow(tree);
        Cli cli = new Cli(tmp.resolve("home"));
        json(cli.run("import", tree.location(), "--layout", "mlflow", "--output", "json"));

        Map<String, Task> byName = new HashMap<>();
        imported(cli).keySet().forEach(t -> byName.put(t.name(), t));

        Task first = byName.get("run-0");
        assertThat(first.project()).isEqualTo("vision");
        assertThat(first.startedAt()).isEqualTo(T0);
        assertThat(first.endedAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(byName.get("run-7").project()).isEqualTo("nlp");
        assertThat(byName).containsKey(hex(9)).as("a run without meta.yaml is named by its id");
        assertThat(byName.get(hex(9)).startedAt()).isEqualTo(T0.plusSeconds(9L * PER_TASK));
        assertThat(first.params().get(Importer.SOURCE_PARAM)).endsWith("/mlruns/1/" + hex(0));
    }

    @Test
    void aClearmlFolderIsImportedListedCleanedAndLeavesWhatIsOutsideTheLayout() {
        FolderTree tree = new FolderTree(tmp.resolve("clearml-out"));
        Built built = clearml(tree);
        Cli cli = new Cli(tmp.resolve("home"));

        scenario(cli, tree, "clearml", built, "clearml-out", true);
    }

    @Test
    void clearmlKindsComeFromTheirFolders() {
        FolderTree tree = new FolderTree(tmp.resolve("out"));
        clearml(tree);
        Cli cli = new Cli(tmp.resolve("home"));
        json(cli.run("import", tree.location(), "--layout", "clearml", "--output", "json"));

        Map<Task, List<Artifact>> tasks = imported(cli);
        Task nested = tasks.keySet().stream().filter(t -> t.name().equals("train v7")).findFirst().orElseThrow();
        Map<ArtifactKind, Long> kinds = new TreeMap<>();
        tasks.get(nested).forEach(a -> kinds.merge(a.kind(), 1L, Long::sum));

        assertThat(nested.project()).isEqualTo("team/nlp");
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(ArtifactKind.ARTIFACT, 30L, ArtifactKind.MODEL, 40L,
                ArtifactKind.DEBUG_SAMPLE, 40L));
    }

    @Test
    void anMlflowTreeOnS3IsImportedListedCleanedAndLeavesWhatIsOutsideTheLayout() {
        String bucket = S3.newBucket();
        BucketTree tree = new BucketTree(bucket, "mlruns");
        Built built = mlflow(tree);

        scenario(s3Cli(), tree, "mlflow", built, "mlruns", false);
    }

    @Test
    void aClearmlTreeOnS3IsImportedListedCleanedAndLeavesWhatIsOutsideTheLayout() {
        String bucket = S3.newBucket();
        BucketTree tree = new BucketTree(bucket, "clearml");
        Built built = clearml(tree);

        scenario(s3Cli(), tree, "clearml", built, "clearml", false);
    }

    private Cli s3Cli() {
        return new Cli(tmp.resolve("home")).withEnv(Map.of("RECLAIM_S3_ENDPOINT", S3.endpoint().toString(),
                "RECLAIM_S3_PATH_STYLE", "true"));
    }
}
