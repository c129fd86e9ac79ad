package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.FunctionJob;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Sha256;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.ReclaimContract;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that ran to its end keeps its outputs through passing storage failures: a put that fails
 * is tried again, and a put whose bytes were stored but whose answer was lost is recognised as the
 * output's own on the next attempt, which finds the key taken.
 */
class JobOutputRetryTest extends ReclaimContract {
    /** How the first puts fail: 0 none; 1 nothing stored; 2 stored, answer lost. */
    private volatile int failureMode;
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        ArtifactStore real = FileArtifactStore.open(tmp.resolve("artifacts"));
        return (ArtifactStore) Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(), new Class<?>[]{ArtifactStore.class},
                (proxy, method, args) -> {
                    boolean put = method.getName().equals("putFileWithDigest");
                    boolean fail = put && failureMode != 0 && failuresLeft.getAndDecrement() > 0;
                    if (fail && failureMode == 1) {
                        throw new StoreException("cannot store key '" + args[0] + "': Broken pipe");
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (fail) {
                        throw new StoreException("cannot store key '" + args[0] + "': Connection reset (the answer was lost)");
                    }
                    return result;
                });
    }

    private JobStatus runJobWithOneOutput() {
        // retries wait on the sleeper; the settable clock stays put, so the worker's lease does not run out meanwhile
        sleeper = d -> { };
        JobHandle h = reclaim.jobs().submit(FunctionJob.of("train", ctx -> {
            ctx.writeArtifact(ArtifactKind.MODEL, "epoch-1.ckpt", new byte[]{1, 2, 3});
            return "done";
        }), ComputeContext.local());
        return reclaim.jobs().waitFor(h.id());
    }

    @Test
    void anOutputWhosePutFailsIsTriedAgainAndTheJobFinishes() {
        failureMode = 1;
        failuresLeft.set(2);

        assertThat(runJobWithOneOutput()).isEqualTo(JobStatus.FINISHED);
        assertThat(failuresLeft.get()).as("both failures were met").isNegative();
    }

    @Test
    void anOutputStoredByAPutWhoseAnswerWasLostIsTakenAsStoredOnceItsBytesAreSeenToBeTheOutputs() {
        failureMode = 2;
        failuresLeft.set(1);

        assertThat(runJobWithOneOutput()).isEqualTo(JobStatus.FINISHED);
        var model = tasks.liveArtifactsAfter(null, 10).stream().filter(a -> a.kind() == ArtifactKind.MODEL).findFirst().orElseThrow();
        assertThat(model.sizeBytes()).isEqualTo(3);
        assertThat(model.sha256()).isEqualTo(Sha256.of(new byte[]{1, 2, 3}));
    }

    @Test
    void anOutputThatCannotBeStoredAtAllFailsTheJobAfterItsAttemptsAndLeavesNothing() {
        failureMode = 1;
        failuresLeft.set(100);

        assertThat(runJobWithOneOutput()).isEqualTo(JobStatus.FAILED);
        assertThat(tasks.liveArtifactsAfter(null, 10)).noneMatch(a -> a.kind() == ArtifactKind.MODEL);
        assertThat(reclaim.fsck().check().orphanCount()).isZero();
    }
}
