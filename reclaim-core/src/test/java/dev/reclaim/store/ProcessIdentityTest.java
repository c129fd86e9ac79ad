package dev.reclaim.store;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessIdentityTest {
    private final ProcessIdentity self = ProcessIdentity.current();

    @Test
    void anIdentityIsStoredAsTextAndReadBack() {
        assertThat(ProcessIdentity.parse(self.encode())).contains(self);
        assertThat(self.describe()).isEqualTo("pid " + ProcessHandle.current().pid() + " on host " + self.host());
    }

    @Test
    void textInAnyOtherFormIsNoIdentity() {
        assertThat(ProcessIdentity.parse(null)).isEmpty();
        assertThat(ProcessIdentity.parse("cleanup-0123@456")).isEmpty();
        assertThat(ProcessIdentity.parse("pid=x host=h")).isEmpty();
        assertThat(ProcessIdentity.parse("pid=1 host=")).isEmpty();
    }

    @Test
    void thisProcessIsAlive() {
        assertThat(self.judge(self)).isEqualTo(ProcessIdentity.Liveness.ALIVE);
    }

    @Test
    void aChildProcessIsAliveUntilItIsKilledThenDead() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            ProcessIdentity identity = ProcessIdentity.of(child.toHandle());
            assertThat(self.judge(identity)).isEqualTo(ProcessIdentity.Liveness.ALIVE);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(self.judge(identity)).isEqualTo(ProcessIdentity.Liveness.DEAD);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aPidNowUsedByAProcessThatStartedAtAnotherTimeIsDead() {
        ProcessIdentity earlier = new ProcessIdentity(self.host(), self.machineId(), self.bootId(), self.pidNamespace(),
                self.pid(), self.startedAt() - 60_000);
        assertThat(self.judge(earlier)).isEqualTo(ProcessIdentity.Liveness.DEAD);
    }

    @Test
    void aProcessOfAnotherBootOfThisHostIsDead() {
        ProcessIdentity beforeRestart = new ProcessIdentity(self.host(), self.machineId(), "another-boot",
                self.pidNamespace(), self.pid(), self.startedAt());
        assertThat(self.judge(beforeRestart)).isEqualTo(ProcessIdentity.Liveness.DEAD);
    }

    @Test
    void aProcessOfAnotherHostOrPidNamespaceCannotBeJudged() {
        ProcessIdentity elsewhere = new ProcessIdentity("another-host", self.machineId(), self.bootId(),
                self.pidNamespace(), 1, -1);
        ProcessIdentity otherMachine = new ProcessIdentity(self.host(), "another-machine", self.bootId(),
                self.pidNamespace(), 1, -1);
        ProcessIdentity otherContainer = new ProcessIdentity(self.host(), self.machineId(), self.bootId(), "pid:[1]",
                1, -1);
        assertThat(self.judge(elsewhere)).isEqualTo(ProcessIdentity.Liveness.UNKNOWN);
        assertThat(self.judge(otherMachine)).isEqualTo(ProcessIdentity.Liveness.UNKNOWN);
        assertThat(self.judge(otherContainer)).isEqualTo(ProcessIdentity.Liveness.UNKNOWN);
    }
}
