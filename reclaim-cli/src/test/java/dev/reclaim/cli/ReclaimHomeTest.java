package dev.reclaim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which home a command uses: --home (anywhere on the line), else RECLAIM_HOME, else ./reclaim-home. */
class ReclaimHomeTest {
    @TempDir
    Path cwd;

    private int run(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.remove(ReclaimHome.ENV);
        all.putAll(env);
        StringWriter err = new StringWriter();
        int code = Main.commandLine(all, cwd, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute(args);
        assertThat(code).as(err.toString()).isZero();
        return code;
    }

    @Test
    void without_home_or_environment_the_home_is_reclaim_home_in_the_working_directory_with_its_three_parts() {
        run(Map.of(), "jobs", "status", "x");

        assertThat(cwd.resolve("reclaim-home/reclaim.db")).isRegularFile();
        assertThat(cwd.resolve("reclaim-home/artifacts")).isDirectory();
        assertThat(cwd.resolve("reclaim-home/staging")).isDirectory();
    }

    @Test
    void reclaim_home_is_used_when_no_option_is_given_and_relative_paths_start_at_the_working_directory() {
        run(Map.of(ReclaimHome.ENV, "from-env"), "jobs", "status", "x");

        assertThat(cwd.resolve("from-env/reclaim.db")).isRegularFile();
        assertThat(cwd.resolve("reclaim-home")).doesNotExist();
    }

    @Test
    void the_option_wins_over_the_environment_and_may_follow_the_subcommand() {
        run(Map.of(ReclaimHome.ENV, "from-env"), "--home", "from-option", "jobs", "status", "x");
        run(Map.of(ReclaimHome.ENV, "from-env"), "jobs", "status", "--home", "after-subcommand", "x");

        assertThat(cwd.resolve("from-option/reclaim.db")).isRegularFile();
        assertThat(cwd.resolve("after-subcommand/reclaim.db")).isRegularFile();
        assertThat(cwd.resolve("from-env")).doesNotExist();
    }
}
