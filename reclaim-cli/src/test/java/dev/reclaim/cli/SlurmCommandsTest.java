package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import dev.reclaim.testkit.RealSlurm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobs submit --executor slurm} on a real Slurm, and the options' bad input. */
class SlurmCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void a_job_submitted_to_slurm_waits_for_its_end_and_hands_back_its_result() throws Exception {
        RealSlurm.require();
        Cli cli = new Cli(tmp.resolve("home"));

        Run submit = cli.run("jobs", "submit", "--executor", "slurm", "--time", "5", "--no-auto-cleanup", "--",
                "sh", "-c", "echo on slurm; echo 42 > $RECLAIM_OUTPUT/result.json");

        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String id = submit.firstLine();
        assertThat(cli.run("jobs", "status", id).out()).contains("FINISHED");
        assertThat(cli.run("jobs", "output", id).out()).contains("submitted to slurm as job").contains("on slurm");
        assertThat(cli.run("jobs", "results", id).out()).contains("42");
    }

    @Test
    void a_queue_the_config_gives_to_slurm_submits_there_with_its_options() throws Exception {
        RealSlurm.require();
        Cli cli = new Cli(tmp.resolve("home"));
        Files.createDirectories(cli.home());
        Files.writeString(cli.home().resolve("reclaim.yaml"), String.join("\n", "queues:",
                "  quick: {executor: slurm, partition: short, time: \"2\"}", ""));

        Run submit = cli.run("jobs", "submit", "--queue", "quick", "--no-auto-cleanup", "--", "sh", "-c", "echo on short");

        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String output = cli.run("jobs", "output", submit.firstLine()).out();
        Matcher m = Pattern.compile("submitted to slurm as job (\\d+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        Process scontrol = new ProcessBuilder("scontrol", "show", "job", "-o", m.group(1)).start();
        String job = new String(scontrol.getInputStream().readAllBytes());
        assertThat(scontrol.waitFor()).isZero();
        assertThat(job).contains("Partition=short").contains("TimeLimit=00:02:00");
    }

    @Test
    void a_queue_setting_the_config_does_not_know_is_refused_with_the_file_and_line() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        Files.createDirectories(cli.home());
        Files.writeString(cli.home().resolve("reclaim.yaml"), String.join("\n", "queues:", "  gpu:",
                "    executor: slurm", "    partiton: gpu", ""));

        Run r = cli.run("jobs", "submit", "--queue", "gpu", "--", "true");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("reclaim.yaml line 4").contains("unknown setting 'partiton' of queue gpu")
                .contains("did you mean partition?");
    }

    @Test
    void slurm_options_need_the_slurm_executor_and_a_form_slurm_takes() {
        Cli cli = new Cli(tmp.resolve("home"));

        Run noExecutor = cli.run("jobs", "submit", "--partition", "gpu", "--", "true");
        Run badExecutor = cli.run("jobs", "submit", "--executor", "k8s", "--", "true");
        Run badTime = cli.run("jobs", "submit", "--executor", "slurm", "--time", "an hour", "--", "true");

        assertThat(noExecutor.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noExecutor.err()).contains("--partition is a Slurm option; add --executor slurm");
        assertThat(badExecutor.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badExecutor.err()).contains("--executor must be local or slurm");
        assertThat(badTime.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTime.err()).contains("Slurm option time 'an hour' is not a time limit");
        assertThat(cli.run("jobs", "list").out()).doesNotContain("QUEUED");
    }
}
