package dev.reclaim.slurm;

import dev.reclaim.jobs.external.BatchSubmission;
import dev.reclaim.jobs.external.ExitRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated batch script, run by the machine's {@code /bin/sh} as a Slurm node would run it:
 * the exit record it leaves is what the monitor decides by.
 */
class SlurmScriptTest {
    @TempDir
    Path tmp;

    private ExitRecord run(List<String> command, String workingDir) throws Exception {
        return run(command, workingDir, Map.of("GREETING", "it's \"quoted\" $HOME"));
    }

    private ExitRecord run(List<String> command, String workingDir, Map<String, String> env) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path control = Files.createDirectories(tmp.resolve("control"));
        BatchSubmission s = new BatchSubmission("job1", "t", command, env, workingDir,
                out, out.resolve("console.log"), control.resolve("exit-status"), Map.of());
        Path script = Files.writeString(control.resolve("job.sh"), SlurmExecutor.script(s));
        Process p = new ProcessBuilder("/bin/sh", script.toString()).directory(out.toFile())
                .redirectOutput(out.resolve("console.log").toFile()).redirectErrorStream(true).start();
        p.waitFor();
        assertThat(control.resolve("exit-status.tmp")).doesNotExist();
        return ExitRecord.parse(Files.readString(control.resolve("exit-status"), StandardCharsets.UTF_8)).orElseThrow();
    }

    @Test
    void theCommandsExitStatusIsRecordedAndItsWordsArriveUnchanged() throws Exception {
        ExitRecord r = run(List.of("sh", "-c", "printf '%s|%s' \"$GREETING\" \"$1\" > \"$RECLAIM_OUTPUT/seen\"; exit 3", "x",
                "a 'b' $c"), null);

        assertThat(r).isEqualTo(new ExitRecord(3, null));
        assertThat(tmp.resolve("out/seen")).hasContent("it's \"quoted\" $HOME|a 'b' $c");
    }

    @Test
    void aProgramThatIsNotThereOrNotExecutableIsRecordedAsCannotStart() throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("data.txt"), "x");

        assertThat(run(List.of("/nonexistent/program-xyz"), null)).isEqualTo(new ExitRecord(127, ExitRecord.CANNOT_START));
        assertThat(run(List.of("no-such-program-xyz"), null)).isEqualTo(new ExitRecord(127, ExitRecord.CANNOT_START));
        assertThat(run(List.of(notExecutable.toString()), null)).isEqualTo(new ExitRecord(127, ExitRecord.CANNOT_START));
        assertThat(run(List.of("true"), null)).isEqualTo(new ExitRecord(0, null));
    }

    @Test
    void aProgramNamedLikeTheScriptsOwnHelperIsTheProgramThatRuns() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String name : List.of("__reclaim_record", "record")) {
            Path program = Files.writeString(bin.resolve(name), "#!/bin/sh\necho ran > \"$RECLAIM_OUTPUT/" + name + "\"\nexit 4\n");
            program.toFile().setExecutable(true);
            ExitRecord r = run(List.of(name), null, Map.of("PATH", bin + ":/usr/bin:/bin"));

            assertThat(r).as(name).isEqualTo(new ExitRecord(4, null));
            assertThat(tmp.resolve("out").resolve(name)).as(name).hasContent("ran\n");
        }
    }

    @Test
    void aWorkingFolderThatCannotBeEnteredIsRecordedAsSuch() throws Exception {
        assertThat(run(List.of("true"), tmp.resolve("missing").toString()))
                .isEqualTo(new ExitRecord(125, ExitRecord.NO_WORKING_DIR));
        assertThat(run(List.of("pwd"), tmp.toString())).isEqualTo(new ExitRecord(0, null));
    }

    @Test
    void anExitRecordIsReadStrictly() {
        assertThat(ExitRecord.parse("0\n")).contains(new ExitRecord(0, null));
        assertThat(ExitRecord.parse("127 cannot-start\n")).contains(new ExitRecord(127, ExitRecord.CANNOT_START));
        assertThat(ExitRecord.parse("")).isEmpty();
        assertThat(ExitRecord.parse("12")).contains(new ExitRecord(12, null));
        assertThat(ExitRecord.parse("256")).isEmpty();
        assertThat(ExitRecord.parse("1 something-else")).isEmpty();
        assertThat(ExitRecord.parse("-1")).isEmpty();
    }
}
