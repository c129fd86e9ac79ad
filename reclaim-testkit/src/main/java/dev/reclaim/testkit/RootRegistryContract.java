package dev.reclaim.testkit;

import dev.reclaim.store.RootBinding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link dev.reclaim.store.RootRegistry} rules: a store has an id of its own, and the first
 * binding of an artifact root's name stays until a person rebinds it.
 */
public abstract class RootRegistryContract extends TaskStoreFixture {
    @Test
    void aStoreHasAnIdOfItsOwnThatDoesNotChange() {
        String id = store.storeId();

        assertThat(id).isNotBlank().matches("[0-9a-f]{32}");
        assertThat(store.storeId()).isEqualTo(id);
        assertThat(store.artifactRoot(RootBinding.DEFAULT_NAME)).isEmpty();
    }

    @Test
    void theFirstBindingOfARootNameStaysUntilAPersonRebindsIt() {
        var first = new RootBinding("default", "root-1", "file:/a", clock.instant());
        var second = new RootBinding("default", "root-2", "file:/b", clock.instant().plusSeconds(1));

        assertThat(store.bindArtifactRoot(first)).isEqualTo(first);
        assertThat(store.bindArtifactRoot(second)).isEqualTo(first);
        assertThat(store.artifactRoot("default")).contains(first);

        store.rebindArtifactRoot(second);
        assertThat(store.artifactRoot("default")).contains(second);
        assertThat(store.artifactRoot("other")).isEmpty();
    }

    @Test
    void concurrentFirstBindingsAgreeOnOneRoot() throws Exception {
        List<RootBinding> seen = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Object>> binders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var mine = new RootBinding("default", "root-" + i, "file:/" + i, clock.instant());
            binders.add(() -> seen.add(store.bindArtifactRoot(mine)));
        }
        Concurrently.run(binders);

        assertThat(seen).hasSize(8).containsOnly(store.artifactRoot("default").orElseThrow());
    }
}
