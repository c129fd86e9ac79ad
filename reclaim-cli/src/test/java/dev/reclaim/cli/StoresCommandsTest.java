package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.s3.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named artifact stores from the command line: {@code stores add}, {@code stores list} and
 * {@code tasks artifacts add --ref}, on real folders and on S3 (S3Proxy in-process). Only registered
 * objects are ever deleted; every refusal exits non-zero, says what to do and changes nothing.
 */
class StoresCommandsTest {
    private static final S3ProxyFixture S3 = S3ProxyFixture.shared();

    @TempDir
    Path tmp;
    Cli cli;
    Path data;

    @BeforeAll
    static void credentials() {
        // The in-process CLI takes S3 credentials from the AWS default chain; system properties are part of it.
        System.setProperty("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyFixture.SECRET_KEY);
    }

    @AfterAll
    static void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void aHomeAndAFolderOfCheckpoints() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        data = Files.createDirectories(tmp.resolve("checkpoints"));
        Files.createDirectories(data.resolve("run7"));
        Files.writeString(data.resolve("run7/best.pt"), "weights of run 7");
        Files.writeString(data.resolve("README"), "not a checkpoint");
    }

    private String newTask() {
        Run r = cli.run("tasks", "create", "--name", "t");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.firstLine();
    }

    private void add(String name, String location) {
        Run r = cli.run("stores", "add", name, location);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static void assertRefused(Run r, String... messageParts) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(messageParts).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private List<String> checkpoints() {
        return Cli.filesUnder(data).stream().filter(f -> !f.equals(".reclaim-root")).toList();
    }

    @Test
    void aFolderIsAddedMarkedAndListed() {
        Run added = cli.run("stores", "add", "ckpt", data.toString());
        Run table = cli.run("stores", "list");
        Run json = cli.run("stores", "list", "--output", "json");

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).startsWith("added: ckpt at file:");
        assertThat(data.resolve(".reclaim-root")).isRegularFile();
        assertThat(checkpoints()).containsExactly("README", "run7/best.pt");
        assertThat(table.out()).contains("NAME", "ckpt", "default", "file:");
        assertThat(json.out()).contains("\"name\" : \"ckpt\"", "\"root_id\"");
        assertThat(cli.run("stores", "add", "ckpt", data.toString()).out()).startsWith("already added: ckpt");
    }

    @Test
    void anObjectRegisteredByPathIsNotCopiedAndGoesWithItsTaskAlone() {
        add("ckpt", data.toString());
        String task = newTask();

        Run r = cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref",
                data.resolve("run7/best.pt").toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(cli.artifactFiles()).as("nothing copied into the home").isEmpty();
        assertThat(checkpoints()).containsExactly("README", "run7/best.pt");
        Run deleted = cli.run("tasks", "delete", task);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(checkpoints()).containsExactly("README");
    }

    @Test
    void aFileUriWorksAsAPath() {
        add("ckpt", "file://" + data);
        String task = newTask();

        Run r = cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref",
                "file://" + data.resolve("run7/best.pt"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void metricsAreRecordedWithARegisteredOrCopiedArtifactAndBadOnesRefused() throws Exception {
        add("ckpt", data.toString());
        String task = newTask();
        Path file = Files.writeString(tmp.resolve("e2.pt"), "w");

        Run ref = cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref",
                data.resolve("run7/best.pt").toString(), "--metric", "val_loss=0.31", "--metric", "acc=0.9");
        Run copied = cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "e2.pt", file.toString(),
                "--metric", "val_loss=0.4");
        assertThat(ref.exitCode()).as(ref.toString()).isZero();
        assertThat(copied.exitCode()).as(copied.toString()).isZero();
        assertRefused(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "e3.pt", file.toString(),
                "--metric", "val_loss=NaN"), "metric 'val_loss' is NaN", "finite number");
        assertRefused(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "e4.pt", "--ref",
                data.resolve("run7/best.pt").toString(), "--metric", " x=1"), "metric name");

        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            String refId = ref.out().trim();
            String copiedId = copied.out().trim();
            assertThat(store.metricsOf(List.of(refId, copiedId))).isEqualTo(Map.of(
                    refId, Map.of("acc", 0.9, "val_loss", 0.31), copiedId, Map.of("val_loss", 0.4)));
            assertThat(store.artifactsOf(task)).hasSize(2);
        }
    }

    @Test
    void aRefInsideNoStoreOrToNoObjectIsRefusedAndChangesNothing() throws Exception {
        add("ckpt", data.toString());
        String task = newTask();
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere.pt"), "x");

        assertRefused(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "a", "--ref", elsewhere.toString()),
                "inside none of this home's artifact stores", "ckpt = file:", "reclaim stores add");
        assertRefused(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "b", "--ref",
                data.resolve("run8/best.pt").toString()), "there is no object 'run8/best.pt'", "nothing was registered");
        assertRefused(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "c"), "--ref URI");
        assertRefused(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "d", "--ref",
                data.resolve("README").toString(), elsewhere.toString()), "not both");

        Run list = cli.run("tasks", "list", "--output", "json");
        assertThat(list.out()).doesNotContain("best.pt");
        assertThat(checkpoints()).containsExactly("README", "run7/best.pt");
        assertThat(cli.artifactFiles()).isEmpty();
    }

    @Test
    void aNameTheTaskHasIsRefusedWithExit3() {
        add("ckpt", data.toString());
        String task = newTask();
        String ref = data.resolve("run7/best.pt").toString();
        assertThat(cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref", ref).exitCode())
                .isZero();

        Run again = cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref",
                data.resolve("README").toString());

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.err()).contains("already has a model 'best.pt'", "--replace");
    }

    @Test
    void fsckReportsTheStoresOtherObjectsUnmanagedAndRepairKeepsThem() {
        add("ckpt", data.toString());
        String task = newTask();
        cli.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref",
                data.resolve("run7/best.pt").toString());

        Run repaired = cli.run("fsck", "--repair");

        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.out()).contains("unmanaged object .reclaim-stores/ckpt/README").doesNotContain("best.pt");
        assertThat(checkpoints()).containsExactly("README", "run7/best.pt");
        Run named = cli.run("fsck", "--delete-unmanaged", ".reclaim-stores/ckpt/README");
        assertThat(named.exitCode()).as(named.toString()).isZero();
        assertThat(checkpoints()).containsExactly("run7/best.pt");
    }

    @Test
    void aFolderAnotherHomeAddedIsRefused() {
        Cli other = new Cli(tmp.resolve("other-home"));
        assertThat(other.run("stores", "add", "ckpt", data.toString()).exitCode()).isZero();

        assertRefused(cli.run("stores", "add", "ckpt", data.toString()), "belongs to another task store");
        assertThat(cli.run("stores", "list").out()).doesNotContain("ckpt");
    }

    @Test
    void aStoreInsideTheArtifactRootOrAMissingFolderOrABadNameIsRefusedAndCreatesNothing() {
        newTask();
        assertRefused(cli.run("stores", "add", "outer", cli.home().toString()), "overlaps the default artifact root");
        assertRefused(cli.run("stores", "add", "root", cli.artifacts().toString()), "already this task store's default artifact root");
        assertRefused(cli.run("stores", "add", "gone", tmp.resolve("nothing").toString()), "is not a folder");
        assertRefused(cli.run("stores", "add", "Default", data.toString()), "store name");
        assertRefused(cli.run("stores", "add", "default", data.toString()), "store name");

        assertThat(tmp.resolve("nothing")).doesNotExist();
        assertThat(data.resolve(".reclaim-root")).doesNotExist();
    }

    @Test
    void aStoreWhoseMarkerWasRemovedStopsTheHomeNamingIt() throws Exception {
        add("ckpt", data.toString());
        Files.delete(data.resolve(".reclaim-root"));

        assertRefused(cli.run("tasks", "list"), "'ckpt'", "no Reclaim marker");
        assertThat(checkpoints()).containsExactly("README", "run7/best.pt");
    }

    @Test
    void anS3PrefixIsAddedAndItsObjectsRegisteredBySThreeUri() {
        String bucket = S3.newBucket();
        S3.putRaw(bucket, "ckpt/run7/best.pt");
        S3.putRaw(bucket, "ckpt/README");
        Cli s3 = cli.withEnv(Map.of("RECLAIM_S3_ENDPOINT", S3.endpoint().toString(), "RECLAIM_S3_PATH_STYLE", "true"));
        Run added = s3.run("stores", "add", "ckpt", "s3://" + bucket + "/ckpt");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        Run created = s3.run("tasks", "create", "--name", "t");
        String task = created.firstLine();

        Run registered = s3.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "best.pt", "--ref",
                "s3://" + bucket + "/ckpt/run7/best.pt");
        assertThat(registered.exitCode()).as(registered.toString()).isZero();
        assertRefused(s3.run("tasks", "artifacts", "add", task, "--kind", "model", "--name", "x", "--ref",
                "s3://" + bucket + "/other/x"), "inside none of this home's artifact stores");

        Run deleted = s3.run("tasks", "delete", task);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(S3.rawKeys(bucket)).containsExactly("ckpt/.reclaim-root", "ckpt/README");
    }
}
