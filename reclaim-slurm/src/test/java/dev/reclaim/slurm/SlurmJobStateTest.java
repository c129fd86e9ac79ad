package dev.reclaim.slurm;

import dev.reclaim.model.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlurmJobStateTest {
    @Test
    void mapsSlurmStatesToReclaimStatusesAsTheIssueSpecifies() {
        assertThat(SlurmJobState.PENDING.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(SlurmJobState.RUNNING.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(SlurmJobState.COMPLETING.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(SlurmJobState.COMPLETED.status()).isEqualTo(JobStatus.FINISHED);
        for (SlurmJobState s : new SlurmJobState[] {SlurmJobState.FAILED, SlurmJobState.TIMEOUT,
                SlurmJobState.OUT_OF_MEMORY, SlurmJobState.NODE_FAIL, SlurmJobState.BOOT_FAIL}) {
            assertThat(s.status()).as("%s", s).isEqualTo(JobStatus.FAILED);
        }
        assertThat(SlurmJobState.CANCELLED.status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void neverMapsToStatusesOnlyReclaimCanKnow() {
        for (SlurmJobState s : SlurmJobState.values()) {
            assertThat(s.status()).as("%s", s).isNotIn(JobStatus.UNDETERMINED, JobStatus.MISSING);
        }
    }

    @Test
    void endedMeansFinishedFailedOrCanceled() {
        assertThat(SlurmJobState.TIMEOUT.ended()).isTrue();
        assertThat(SlurmJobState.CANCELLED.ended()).isTrue();
        assertThat(SlurmJobState.COMPLETED.ended()).isTrue();
        assertThat(SlurmJobState.COMPLETING.ended()).isFalse();
        assertThat(SlurmJobState.REQUEUED.ended()).isFalse();
        assertThat(SlurmJobState.SUSPENDED.ended()).isFalse();
    }

    @Test
    void describesAStateWithSlurmsReasonUnlessThereIsNone() {
        assertThat(SlurmJobState.TIMEOUT.describe("TimeLimit")).isEqualTo("TIMEOUT (TimeLimit)");
        assertThat(SlurmJobState.COMPLETED.describe("None")).isEqualTo("COMPLETED");
        assertThat(SlurmJobState.PENDING.describe("")).isEqualTo("PENDING");
    }

    @Test
    void parsesEveryNameSlurmPrints() {
        for (SlurmJobState s : SlurmJobState.values()) {
            assertThat(SlurmJobState.parse(s.name())).isEqualTo(s);
        }
        assertThat(SlurmJobState.parse("OUT_OF_MEMORY")).isEqualTo(SlurmJobState.OUT_OF_MEMORY);
    }

    @Test
    void rejectsUnknownTextNamingIt() {
        for (String bad : new String[] {"", "BOGUS", "running", "CANCELED", " RUNNING", "CANCELLED+", "CD"}) {
            assertThatThrownBy(() -> SlurmJobState.parse(bad)).as("'%s'", bad)
                    .isInstanceOf(SlurmOutputException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> SlurmJobState.parse(null)).isInstanceOf(SlurmOutputException.class);
    }
}
