package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.ApiToken;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link dev.reclaim.store.TokenStore} rules: API tokens are kept by hash, their names are
 * unique among live tokens, and revoking and use are recorded.
 */
public abstract class TokenStoreContract extends TaskStoreFixture {
    private ApiToken token(String id, String name, String role) {
        return new ApiToken(id, name, role, "hash-of-" + id, clock.instant(), null, false);
    }

    @Test
    void anApiTokenIsStoredWithItsHashAndFoundById() {
        assertThat(store.hasActiveApiTokens()).isFalse();
        ApiToken t = token("t1", "ci", "operator");
        store.insertApiToken(t);

        assertThat(store.findApiToken("t1")).contains(t);
        assertThat(store.findApiToken("nope")).isEmpty();
        assertThat(store.apiTokens()).containsExactly(t);
        assertThat(store.hasActiveApiTokens()).isTrue();
    }

    @Test
    void twoLiveTokensCannotShareANameButARevokedOneFreesIt() {
        store.insertApiToken(token("t1", "ci", "viewer"));
        assertThatThrownBy(() -> store.insertApiToken(token("t2", "ci", "admin")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'ci' already exists");
        assertThat(store.apiTokens()).extracting(ApiToken::id).containsExactly("t1");

        assertThat(store.revokeApiToken("t1")).isTrue();
        store.insertApiToken(token("t2", "ci", "admin"));
        assertThat(store.apiTokens()).extracting(ApiToken::id, ApiToken::revoked)
                .containsExactly(Tuple.tuple("t1", true), Tuple.tuple("t2", false));
    }

    @Test
    void revokingTheLastLiveTokenLeavesNoActiveTokens() {
        store.insertApiToken(token("t1", "ci", "viewer"));
        assertThat(store.revokeApiToken("t1")).isTrue();
        assertThat(store.revokeApiToken("t1")).isTrue();
        assertThat(store.revokeApiToken("missing")).isFalse();
        assertThat(store.hasActiveApiTokens()).isFalse();
        assertThat(store.findApiToken("t1")).get().extracting(ApiToken::revoked).isEqualTo(true);
    }

    @Test
    void touchingATokenRecordsItsLastUseToTheMillisecond() {
        store.insertApiToken(token("t1", "ci", "viewer"));
        Instant used = clock.instant().plusMillis(1234).plusNanos(567);
        assertThat(store.touchApiToken("t1", used)).isTrue();
        assertThat(store.touchApiToken("missing", used)).isFalse();
        assertThat(store.findApiToken("t1")).get().extracting(ApiToken::lastUsedAt)
                .isEqualTo(used.truncatedTo(ChronoUnit.MILLIS));
    }
}
