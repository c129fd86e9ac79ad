package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Choosing the stores: {@code --artifacts s3://...} against a real S3 protocol server (S3Proxy,
 * in-process), the same from the environment and the config file, and every bad value refused
 * with exit 2 before anything is created.
 */
class SharedStoresTest {
    private static final String KEY = "reclaim-access";
    private static final String SECRET = "reclaim-secret-key";
    private static S3Proxy proxy;
    private static S3Client admin;
    private static String endpoint;

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeAll
    static void startS3() throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", KEY);
        p.setProperty("jclouds.credential", SECRET);
        proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", p))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        endpoint = "http://127.0.0.1:" + proxy.getPort();
        admin = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(URI.create(endpoint))
                .forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
        admin.createBucket(r -> r.bucket("artifacts"));
        // the CLI takes credentials from the AWS default chain; system properties are part of it
        System.setProperty("aws.accessKeyId", KEY);
        System.setProperty("aws.secretAccessKey", SECRET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        admin.close();
        proxy.stop();
    }

    @BeforeEach
    void home() {
        cli = new Cli(tmp.resolve("home"));
    }

    /** Every object under the prefix but the root's identity marker. */
    private List<String> objects(String prefix) {
        return admin.listObjectsV2Paginator(r -> r.bucket("artifacts").prefix(prefix)).contents().stream()
                .map(o -> o.key()).filter(k -> !k.endsWith("/.reclaim-root")).sorted().toList();
    }

    @Test
    void artifactsGoToS3AndDeletingTheTaskRemovesThem() throws Exception {
        Path file = Files.writeString(tmp.resolve("best.ckpt"), "weights");
        String[] s3 = {"--artifacts", "s3://artifacts/team-a", "--s3-endpoint", endpoint, "--s3-path-style"};
        Run created = cli.run(concat(s3, "tasks", "create", "--name", "exp"));
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String id = created.firstLine();
        Run added = cli.run(concat(s3, "tasks", "artifacts", "add", id, "--kind", "model", "--name", "best.ckpt", file.toString()));
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(objects("team-a/")).containsExactly("team-a/tasks/" + id + "/models/best.ckpt");
        assertThat(Cli.filesUnder(cli.artifacts())).isEmpty();

        Run deleted = cli.run(concat(s3, "tasks", "delete", id));

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(objects("team-a/")).isEmpty();
        assertThat(cli.run(concat(s3, "fsck")).exitCode()).isZero();
    }

    @Test
    void theStoresCanComeFromTheEnvironmentOrTheHomesConfigFile() throws Exception {
        Files.createDirectories(cli.home());
        Files.writeString(cli.home().resolve("reclaim.yaml"), String.join("\n",
                "storage:", "  artifacts: s3://artifacts/from-file", "  s3_endpoint: " + endpoint, "  s3_path_style: true",
                "cleanup:", "  delete_threshold_days: 3", ""));
        Path file = Files.writeString(tmp.resolve("x.bin"), "x");
        String id = cli.run("tasks", "create", "--name", "t").firstLine();
        Run added = cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "x.bin", file.toString());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(objects("from-file/")).hasSize(1);
        assertThat(cli.run("cleanup", "--dry-run", "--output", "json").out()).contains("\"delete_threshold_days\" : \"3\"");

        // the environment wins over the file; this home's database is bound to from-file, so it is refused there
        Run otherRoot = cli.withEnv(Map.of("RECLAIM_ARTIFACTS", "s3://artifacts/from-env")).run("tasks", "list");
        assertThat(otherRoot.exitCode()).as(otherRoot.toString()).isEqualTo(2);
        assertThat(otherRoot.err()).contains("s3://artifacts/from-env", "s3://artifacts/from-file");
        Cli fromEnv = new Cli(tmp.resolve("env-home")).withEnv(Map.of("RECLAIM_ARTIFACTS", "s3://artifacts/from-env",
                "RECLAIM_S3_ENDPOINT", endpoint, "RECLAIM_S3_PATH_STYLE", "true"));
        String other = fromEnv.run("tasks", "create", "--name", "t").firstLine();
        assertThat(fromEnv.run("tasks", "artifacts", "add", other, "--kind", "artifact", "--name", "y.bin", file.toString())
                .exitCode()).isZero();
        assertThat(objects("from-env/")).hasSize(1);
    }

    @Test
    void aPrefixWithOtherObjectsOrAnotherHomesIsRefusedAndNothingThereIsDeleted() {
        admin.putObject(r -> r.bucket("artifacts").key("shared/report.pdf"), RequestBody.fromString("q3"));
        String[] foreign = {"--artifacts", "s3://artifacts/shared", "--s3-endpoint", endpoint, "--s3-path-style"};
        String[] theirs = {"--artifacts", "s3://artifacts/theirs", "--s3-endpoint", endpoint, "--s3-path-style"};
        Cli owner = new Cli(tmp.resolve("owner-home"));
        String id = owner.run(concat(theirs, "tasks", "create", "--name", "t")).firstLine();
        Path file = tmp.resolve("w.bin");
        try {
            Files.writeString(file, "w");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(owner.run(concat(theirs, "tasks", "artifacts", "add", id, "--kind", "model", "--name", "w", file.toString()))
                .exitCode()).isZero();
        List<String> before = objects("theirs/");

        Run intoForeign = cli.run(concat(foreign, "fsck", "--repair"));
        Run intoTheirs = cli.run(concat(theirs, "fsck", "--repair"));

        assertThat(intoForeign.exitCode()).as(intoForeign.toString()).isEqualTo(2);
        assertThat(intoForeign.err()).contains("s3://artifacts/shared is not an artifact root Reclaim created");
        assertThat(intoTheirs.exitCode()).as(intoTheirs.toString()).isEqualTo(2);
        assertThat(intoTheirs.err()).contains("belongs to another task store");
        assertThat(objects("shared/")).containsExactly("shared/report.pdf");
        assertThat(objects("theirs/")).isEqualTo(before).hasSize(1);
    }

    @Test
    void aMissingBucketFailsAtStartWithTheReason() {
        Run r = cli.run("--artifacts", "s3://no-such-bucket/x", "--s3-endpoint", endpoint, "--s3-path-style", "tasks", "list");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("no-such-bucket");
    }

    @Test
    void badStoreSettingsExit2AndCreateNothing() {
        List<String[]> bad = List.of(
                new String[]{"--db", "mysql://localhost/x", "tasks", "list"},
                new String[]{"--db", "jdbc:sqlite:", "tasks", "list"},
                new String[]{"--artifacts", "s3://", "tasks", "list"},
                new String[]{"--artifacts", "s3://Bad_Bucket/x", "tasks", "list"},
                new String[]{"--s3-endpoint", endpoint, "tasks", "list"},
                new String[]{"--artifacts", "s3://artifacts/x", "--s3-endpoint", "ftp://host", "tasks", "list"},
                new String[]{"--artifacts", "s3://artifacts/x", "--s3-path-style=maybe", "tasks", "list"});
        for (String[] args : bad) {
            Run r = cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + " -> " + r).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).isNotBlank();
            assertThat(cli.home()).as("nothing created for " + String.join(" ", args)).doesNotExist();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
