package dev.reclaim.testkit;

import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.ProcessIdentity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link dev.reclaim.store.Leases} rules: a named lease has one holder until it runs out or is
 * released, is renewed only by its holder and taken over only from the holder expected. A fenced
 * mark is part of the {@link DeletionQueueContract}.
 */
public abstract class LeasesContract extends TaskStoreFixture {
    @Test
    void aLeaseIsHeldByOneHolderUntilItExpiresOrIsReleased() {
        Instant now = clock.instant();
        assertThat(store.lease("cleanup")).isEmpty();
        assertThat(store.tryAcquireLease("cleanup", "a", now, now.plusSeconds(60))).isTrue();
        assertThat(store.tryAcquireLease("cleanup", "b", now.plusSeconds(59), now.plusSeconds(120))).isFalse();
        assertThat(store.tryAcquireLease("cleanup", "a", now.plusSeconds(30), now.plusSeconds(90))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "a", now.plusSeconds(90)));
        assertThat(store.tryAcquireLease("cleanup", "b", now.plusSeconds(90), now.plusSeconds(150))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "b", now.plusSeconds(150)));

        store.releaseLease("cleanup", "a");
        assertThat(store.lease("cleanup")).isPresent();
        store.releaseLease("cleanup", "b");
        assertThat(store.lease("cleanup")).isEmpty();
        assertThat(store.tryAcquireLease("cleanup", "c", now, now.plusSeconds(1))).isTrue();
        assertThat(store.tryAcquireLease("other", "d", now, now.plusSeconds(1))).isTrue();
    }

    @Test
    void aLeaseIsRenewedOnlyByItsHolderAndOnlyBeforeItRunsOut() {
        Instant now = clock.instant();
        assertThat(store.renewLease("cleanup", "a", now, now.plusSeconds(60))).as("nobody holds it").isFalse();
        assertThat(store.lease("cleanup")).isEmpty();
        store.tryAcquireLease("cleanup", "a", now, now.plusSeconds(60));

        assertThat(store.renewLease("cleanup", "b", now.plusSeconds(30), now.plusSeconds(90))).isFalse();
        assertThat(store.renewLease("cleanup", "a", now.plusSeconds(30), now.plusSeconds(90))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "a", now.plusSeconds(90)));
        assertThat(store.renewLease("cleanup", "a", now.plusSeconds(90), now.plusSeconds(150)))
                .as("it ran out: another holder may have had it meanwhile").isFalse();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "a", now.plusSeconds(90)));
    }

    @Test
    void aLeaseRecordsItsHoldersProcessAndIsTakenOverOnlyFromTheHolderExpected() {
        Instant now = clock.instant();
        ProcessIdentity first = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 101, 5);
        ProcessIdentity second = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 202, 6);
        assertThat(store.tryAcquireLease("cleanup", "run-1", first, now, now.plusSeconds(60))).isTrue();
        assertThat(store.lease("cleanup")).get().satisfies(l -> {
            assertThat(l.holderProcess()).isEqualTo(first.encode());
            assertThat(l.process()).contains(first);
        });

        assertThat(store.takeOverLease("cleanup", "run-0", "run-2", second, now.plusSeconds(120))).isFalse();
        assertThat(store.takeOverLease("cleanup", "run-1", "run-2", second, now.plusSeconds(120))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "run-2", now.plusSeconds(120), second.encode()));
        assertThat(store.renewLease("cleanup", "run-1", now.plusSeconds(1), now.plusSeconds(61))).isFalse();

        store.releaseLease("cleanup", "run-2");
        assertThat(store.tryAcquireLease("cleanup", "run-3", now, now.plusSeconds(60))).isTrue();
        assertThat(store.lease("cleanup")).contains(new LeaseInfo("cleanup", "run-3", now.plusSeconds(60)));
    }

    @Test
    void concurrentLeaseAcquisitionHasOneWinner() throws Exception {
        Instant now = clock.instant();
        ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
        runConcurrently(8, i -> () -> {
            if (store.tryAcquireLease("run", "holder" + i, now, now.plusSeconds(60))) {
                winners.add("holder" + i);
            }
            return null;
        });
        assertThat(winners).hasSize(1);
        assertThat(store.lease("run")).get().extracting(LeaseInfo::holder).isEqualTo(winners.peek());
    }
}
