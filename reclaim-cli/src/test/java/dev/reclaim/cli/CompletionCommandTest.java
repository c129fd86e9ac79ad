package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** {@code reclaim completion bash|zsh}: a script a real bash sources and completes commands and options with. */
class CompletionCommandTest {
    @TempDir
    Path tmp;

    @Test
    void bash_completes_commands_subcommands_and_options_from_the_generated_script() throws Exception {
        Run r = new Cli(tmp.resolve("home")).run("completion", "bash");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path script = Files.writeString(tmp.resolve("reclaim-completion.bash"), r.out());

        assertThat(complete(script, "reclaim", "ta")).contains("tasks");
        assertThat(complete(script, "reclaim", "tasks", "li")).contains("list");
        assertThat(complete(script, "reclaim", "tasks", "sh")).contains("show");
        assertThat(complete(script, "reclaim", "tasks", "artifacts", "l")).contains("list");
        assertThat(complete(script, "reclaim", "cleanup", "--dry")).contains("--dry-run");
        assertThat(complete(script, "reclaim", "fsck", "--out")).contains("--output");
    }

    @Test
    void zsh_gets_the_same_script_which_loads_bash_completion_for_itself() {
        Cli cli = new Cli(tmp.resolve("home"));

        Run zsh = cli.run("completion", "zsh");

        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).isEqualTo(cli.run("completion", "bash").out()).contains("bashcompinit");
    }

    @Test
    void an_unknown_shell_is_a_usage_error_naming_the_choices() {
        Cli cli = new Cli(tmp.resolve("home"));

        Run fish = cli.run("completion", "fish");

        assertThat(fish.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fish.err()).contains("'fish'").contains("bash or zsh");
        assertThat(fish.out()).isEmpty();
        assertThat(tmp.resolve("home")).doesNotExist();
    }

    /** What bash's completion function offers for the words (the last one is being typed). */
    private static String complete(Path script, String... words) throws IOException, InterruptedException {
        assumeThat(Path.of("/bin/bash")).exists();
        String program = "source " + script + "\n"
                + "COMP_WORDS=(" + String.join(" ", words) + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + String.join(" ", words) + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_reclaim reclaim '" + words[words.length - 1] + "' '" + words[words.length - 2] + "'\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("/bin/bash", "--norc", "-c", program).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
