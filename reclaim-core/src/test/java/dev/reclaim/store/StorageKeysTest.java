package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Names;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageKeysTest {

    @Test
    void aKeyInANamedStoreIsRecordedUnderTheStoresPrefix() {
        assertThat(StorageKeys.mounted("ckpt", "runs/7/model.pt")).isEqualTo(".reclaim-stores/ckpt/runs/7/model.pt");
        assertThat(StorageKeys.isMounted(".reclaim-stores/ckpt/a")).isTrue();
        assertThat(StorageKeys.isMounted("tasks/x/a")).isFalse();
    }

    @Test
    void noStoreCanHoldAKeyOfTheMountedForm() {
        assertThatThrownBy(() -> StorageKeys.validate(".reclaim-stores/ckpt/a")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aRecordedKeySplitsIntoItsStoreAndItsKeyThere() {
        assertThat(StorageKeys.locate(".reclaim-stores/ckpt/runs/a")).contains(new StorageKeys.Located("ckpt", "runs/a"));
        assertThat(StorageKeys.locate("tasks/t/a")).contains(new StorageKeys.Located(RootBinding.DEFAULT_NAME, "tasks/t/a"));
        assertThat(StorageKeys.locate(".reclaim-stores/ckpt")).isEmpty();
        assertThat(StorageKeys.locate(".reclaim-stores//a")).isEmpty();
    }

    @Test
    void aRecordedKeyIsAPlainKeyOrAValidKeyOfAValidlyNamedStore() {
        assertThat(StorageKeys.validateRecorded("tasks/t/a")).isEqualTo("tasks/t/a");
        assertThat(StorageKeys.validateRecorded(".reclaim-stores/ckpt/a/b")).isEqualTo(".reclaim-stores/ckpt/a/b");
        for (String bad : new String[]{".reclaim-stores/ckpt", ".reclaim-stores/Ckpt/a", ".reclaim-stores/default/a",
                ".reclaim-stores/ckpt/../a", ".reclaim-stores/ckpt/.reclaim-root", ".reclaim-root", "/abs", ""}) {
            assertThatThrownBy(() -> StorageKeys.validateRecorded(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void mountedKeysAreNeverInReclaimsOwnNamespace() {
        String key = StorageKeys.mounted("ckpt", "tasks/01HZZZZZZZZZZZZZZZZZZZZZZZ/model/a");
        assertThat(StorageKeys.isInReclaimNamespace(key)).isFalse();
        assertThat(StorageKeys.taskIdOf(key)).isNull();
    }

    @Test
    void aStoreNameIsShortLowercaseAndNotDefault() {
        assertThat(Names.STORE_NAME.check("ckpt-2_a")).isEqualTo("ckpt-2_a");
        for (String bad : new String[]{"", "default", "Ckpt", "-a", "_a", "a.b", "a/b", "a b", "x".repeat(33)}) {
            assertThatThrownBy(() -> Names.STORE_NAME.check(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("store name");
        }
    }
}
