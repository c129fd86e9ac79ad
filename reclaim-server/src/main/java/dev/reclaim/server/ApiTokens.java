package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Names;
import dev.reclaim.store.ApiToken;
import dev.reclaim.store.TaskStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bearer tokens of the HTTP API, kept in the shared metadata store as SHA-256 hashes.
 *
 * <p>A token reads {@code rcl_<id>_<secret>}: the id lets a request find its row directly, and the
 * secret (32 random bytes, base64url) is what proves it. Only the hash of the whole text is stored;
 * the text is shown once, at creation. Hashes are compared in constant time.
 */
public final class ApiTokens {
    /** Prefix of every token, so leaked tokens are easy to recognise (e.g. by secret scanners). */
    public static final String PREFIX = "rcl_";
    /** Random bytes in a token's secret. */
    public static final int SECRET_BYTES = 32;
    /** A use is written to the store at most this often per token, so reads do not turn into writes. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_LENGTH = 28;

    /** How long {@link #anyActiveRecently()} trusts its last read. */
    static final Duration ACTIVE_CACHE_FOR = Duration.ofSeconds(1);

    private record ActiveCache(boolean any, Instant readAt) {
    }

    private final TaskStore store;
    private final Clock clock;
    private volatile ActiveCache activeCache;
    /** Bumped by every create and revoke through this instance. */
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param store where the hashes live (shared by every server process)
     * @param clock the time of creation and last use
     */
    public ApiTokens(TaskStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A token just created: its text (shown once, never stored) and its record.
     *
     * @param token the bearer token text
     * @param info  the stored record (hash only)
     */
    public record Created(String token, ApiToken info) {
    }

    /**
     * Creates a token.
     *
     * @param name unique among live tokens: 1-64 letters, digits, '.', '_' or '-'
     * @throws InvalidArgumentException for a bad or taken name
     */
    public Created create(String name, Role role) {
        Names.TOKEN_NAME.check(name);
        Objects.requireNonNull(role, "role");
        Instant now = clock.instant();
        String id = Ids.next(now);
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        String text = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken info = new ApiToken(id, name, role.apiName(), hash(text), now, null, false);
        store.insertApiToken(info);
        forgetActiveCount();
        return new Created(text, store.findApiToken(id).orElse(info));
    }

    /** Every token, revoked ones included, oldest first (records only: secrets are never kept). */
    public List<ApiToken> list() {
        return store.apiTokens();
    }

    private void forgetActiveCount() {
        synchronized (generation) {
            generation.incrementAndGet();
            activeCache = null;
        }
    }

    /** True when at least one token is live (read from the store now). */
    public boolean anyActive() {
        long before = generation.get();
        Instant readAt = clock.instant();
        boolean any = store.hasActiveApiTokens();
        // A create or revoke through this instance while we read makes this answer stale: keep it out of the cache.
        synchronized (generation) {
            if (generation.get() == before) {
                activeCache = new ActiveCache(any, readAt);
            }
        }
        return any;
    }

    /**
     * {@link #anyActive()} as read at most {@link #ACTIVE_CACHE_FOR} ago. Open access on loopback is
     * decided per request, and reading the store for it was a whole read transaction per request.
     * Tokens created or revoked through this instance count at once; by another process (the CLI),
     * within that time.
     */
    public boolean anyActiveRecently() {
        ActiveCache c = activeCache;
        Instant now = clock.instant();
        // A clock set back makes the entry look young forever: then it is read again.
        boolean fresh = c != null && !now.isBefore(c.readAt()) && now.isBefore(c.readAt().plus(ACTIVE_CACHE_FOR));
        return fresh ? c.any() : anyActive();
    }

    /** The live token with this name, else the token with this id. */
    public Optional<ApiToken> find(String nameOrId) {
        return list().stream().filter(x -> !x.revoked() && x.name().equals(nameOrId)).findFirst()
                .or(() -> store.findApiToken(nameOrId));
    }

    /**
     * Revokes the live token with this name, else the token with this id.
     *
     * @return the revoked token
     * @throws InvalidArgumentException when no token has this name or id
     */
    public ApiToken revoke(String nameOrId) {
        ApiToken t = find(nameOrId).orElseThrow(() -> new InvalidArgumentException("no token is named or has the id '"
                + nameOrId + "'; list tokens with: reclaim tokens list"));
        store.revokeApiToken(t.id());
        forgetActiveCount();
        return store.findApiToken(t.id()).orElse(t);
    }

    /**
     * The live token this text proves, recording its use (at most once a minute).
     *
     * @return empty when the text is malformed, unknown, wrong or revoked (callers answer all alike)
     */
    public Optional<ApiToken> authenticate(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() < PREFIX.length() + ID_LENGTH + 2
                || text.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String id = text.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        if (!Ids.looksValid(id)) {
            return Optional.empty();
        }
        Optional<ApiToken> found = store.findApiToken(id);
        byte[] given = hash(text).getBytes(StandardCharsets.US_ASCII);
        // Compare even when no row was found, so a missing id costs about the same as a wrong secret.
        byte[] expected = found.map(t -> t.secretHash().getBytes(StandardCharsets.US_ASCII)).orElse(new byte[given.length]);
        boolean match = MessageDigest.isEqual(given, expected);
        if (!match || found.isEmpty() || found.get().revoked()) {
            return Optional.empty();
        }
        ApiToken t = found.get();
        Instant now = clock.instant();
        if (t.lastUsedAt() == null || t.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            store.touchApiToken(t.id(), now);
        }
        return Optional.of(t);
    }

    /** Lowercase hex SHA-256 of a token's text. */
    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
