package dev.reclaim.slurm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqueueParserTest {
    @Test
    void buildsOneCallForManyJobsIncludingEndedOnes() {
        assertThat(SqueueParser.command(List.of("12", "13")))
                .containsExactly("squeue", "--noheader", "--states=all", "--jobs=12,13", "--format=%i|%T|%r|%N");
        assertThatThrownBy(() -> SqueueParser.command(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsEveryJobOfOneRealCallAndLeavesTheUnknownIdOut() {
        Map<String, SqueueParser.Row> rows =
                SqueueParser.parse(0, Fixtures.read("squeue-jobs-with-one-unknown.txt"), "");

        assertThat(rows.keySet()).containsExactly("5", "6", "2", "4", "3", "7", "1");
        assertThat(rows.get("1")).isEqualTo(new SqueueParser.Row("1", SlurmJobState.TIMEOUT, "TimeLimit", "node01"));
        assertThat(rows.get("3")).isEqualTo(
                new SqueueParser.Row("3", SlurmJobState.FAILED, "NonZeroExitCode", "node01"));
        assertThat(rows.get("5")).isEqualTo(new SqueueParser.Row("5", SlurmJobState.CANCELLED, "Resources", ""));
        assertThat(rows.get("7").state()).isEqualTo(SlurmJobState.RUNNING);
        assertThat(rows.get("7").reason()).isEqualTo("None");
    }

    @Test
    void readsAJobBeingCancelledAndAHeldJob() {
        Map<String, SqueueParser.Row> rows = SqueueParser.parse(0, Fixtures.read("squeue-completing-and-held.txt"), "");
        assertThat(rows.values()).containsExactly(
                new SqueueParser.Row("12", SlurmJobState.COMPLETING, "None", "node01"),
                new SqueueParser.Row("11", SlurmJobState.PENDING, "JobHeldUser", ""));
    }

    @Test
    void readsASingleUnknownJobAsNoJobs() {
        assertThat(SqueueParser.parse(1, "", Fixtures.read("squeue-unknown-single-job.stderr"))).isEmpty();
        assertThat(SqueueParser.parse(0, "", "")).isEmpty();
    }

    @Test
    void reportsAnyOtherFailureWithWhatSqueuePrinted() {
        assertThatThrownBy(() -> SqueueParser.parse(1, "",
                "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"))
                .isInstanceOf(SlurmOutputException.class)
                .hasMessageContaining("exited 1").hasMessageContaining("Unable to contact slurm controller");
    }

    @Test
    void rejectsAMalformedLineNamingIt() {
        for (String bad : new String[] {"12|RUNNING|None", "12|RUNNING|None|n1|x", "x12|RUNNING|None|n1",
                "12|RUNING|None|n1", "12|RUNNING||n1", "JOBID PARTITION NAME"}) {
            assertThatThrownBy(() -> SqueueParser.parse("1|PENDING|Resources|\n" + bad + "\n")).as(bad)
                    .isInstanceOf(SlurmOutputException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void rejectsAJobListedTwice() {
        assertThatThrownBy(() -> SqueueParser.parse("1|PENDING|Resources|\n1|RUNNING|None|n1\n"))
                .isInstanceOf(SlurmOutputException.class).hasMessageContaining("twice");
    }

    @Test
    void acceptsArrayTaskIdsAndReasonsWithSpaces() {
        Map<String, SqueueParser.Row> rows =
                SqueueParser.parse("12_3|PENDING|ReqNodeNotAvail, UnavailableNodes:n1|\n");
        assertThat(rows.get("12_3").reason()).isEqualTo("ReqNodeNotAvail, UnavailableNodes:n1");
    }
}
