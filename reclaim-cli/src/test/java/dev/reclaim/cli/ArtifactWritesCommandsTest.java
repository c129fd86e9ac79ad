package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reclaim tasks artifacts add} never replaces stored bytes: a taken name exits 3 with the
 * way forward, {@code --replace} supersedes an unprotected artifact, and {@code reclaim fsck}
 * reports bytes that changed under a record (size always, SHA-256 with {@code --verify-checksums}).
 */
class ArtifactWritesCommandsTest {
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void home() {
        cli = new Cli(tmp.resolve("home"));
    }

    private String task(String... args) {
        Run r = cli.run(concat(new String[]{"tasks", "create", "--name", "t"}, args));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.firstLine();
    }

    private Run add(String id, String name, String content, String... more) throws Exception {
        Path f = Files.writeString(Files.createTempFile(tmp, "src", ".bin"), content);
        String[] args = concat(new String[]{"tasks", "artifacts", "add", id, "--kind", "model", "--name", name}, more);
        return cli.run(concat(args, new String[]{f.toString()}));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private String stored(String id, String name) throws Exception {
        return Files.readString(cli.artifacts().resolve("tasks/" + id + "/models/" + name));
    }

    @Test
    void addingANameTheTaskHasExitsThreeNamingTheArtifactAndChangesNothing() throws Exception {
        String id = task();
        String first = add(id, "best.ckpt", "first weights").firstLine();

        Run again = add(id, "best.ckpt", "other weights");

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.err()).contains("already has a model 'best.ckpt'").contains(first).contains("--replace");
        assertThat(again.out()).isEmpty();
        assertThat(stored(id, "best.ckpt")).isEqualTo("first weights");
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + id + "/models/best.ckpt");
    }

    @Test
    void replaceSupersedesTheArtifactUnderANewKeyAndSaysWhatItReplaced() throws Exception {
        String id = task();
        String first = add(id, "best.ckpt", "first weights").firstLine();

        Run replaced = add(id, "best.ckpt", "better weights", "--replace");

        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        String second = replaced.firstLine();
        assertThat(second).isNotEqualTo(first);
        assertThat(replaced.err()).contains("replaced artifact " + first);
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + id + "/" + second + "/models/best.ckpt");
        assertThat(Files.readString(cli.artifacts().resolve("tasks/" + id + "/" + second + "/models/best.ckpt")))
                .isEqualTo("better weights");
        assertThat(cli.run("fsck").exitCode()).isZero();
    }

    @Test
    void replaceOfAPublishedModelExitsThreeAndChangesNothing() throws Exception {
        String id = task("--status", "completed");
        add(id, "best.ckpt", "published weights");
        assertThat(cli.run("tasks", "publish", id).exitCode()).isZero();

        Run refused = add(id, "best.ckpt", "new", "--replace");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("published").contains("another name");
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + id + "/models/best.ckpt");
        assertThat(stored(id, "best.ckpt")).isEqualTo("published weights");
    }

    @Test
    void fsckReportsChangedBytesExitsOneAndRepairKeepsThem() throws Exception {
        String id = task();
        add(id, "resized.ckpt", "twelve bytes");
        add(id, "rewritten.ckpt", "same length A");
        Path resized = cli.artifacts().resolve("tasks/" + id + "/models/resized.ckpt");
        Path rewritten = cli.artifacts().resolve("tasks/" + id + "/models/rewritten.ckpt");
        Files.writeString(resized, "fewer");
        Files.writeString(rewritten, "same length B");

        Run fsck = cli.run("fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isEqualTo(1);
        assertThat(fsck.out()).contains("1 size mismatch(es)").contains("size mismatch").contains("resized.ckpt")
                .doesNotContain("rewritten.ckpt");

        Run verified = cli.run("fsck", "--verify-checksums");
        assertThat(verified.exitCode()).isEqualTo(1);
        assertThat(verified.out()).contains("1 checksum mismatch(es) (1 checksum(s) verified)").contains("checksum mismatch")
                .contains("rewritten.ckpt");

        Run repair = cli.run("fsck", "--repair", "--verify-checksums");
        assertThat(repair.exitCode()).isEqualTo(1);
        assertThat(resized).hasContent("fewer");
        assertThat(rewritten).hasContent("same length B");
    }

    @Test
    void fsckOfAConsistentStoreWithVerifiedChecksumsSaysHowManyItVerified() throws Exception {
        String id = task();
        add(id, "a.ckpt", "a");
        add(id, "b.ckpt", "b");

        Run verified = cli.run("fsck", "--verify-checksums");

        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("(2 checksum(s) verified)");
    }
}
