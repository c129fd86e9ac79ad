package dev.reclaim.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.Problems;
import dev.reclaim.StoreException;
import dev.reclaim.model.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The marker of a home folder, {@code .reclaim-home} ({@code {"format": "reclaim-home", "home_id": ...}}):
 * what tells a Reclaim home from any other folder, so {@code --home} pointing at a folder of other
 * files (the working directory, a user's home) is refused before a database or folder is created in
 * it. A new or empty folder is claimed; a folder holding only what Reclaim puts in a home (a home
 * from before markers, or one with just a config file written first) is adopted; anything else is
 * claimed only by {@code reclaim adopt-root}.
 */
final class HomeMarker {
    /** The marker's file name in the home. */
    static final String NAME = ".reclaim-home";
    /** Folders Reclaim itself makes in a home; with files named {@code reclaim.*} (database, its journal and lock, config). */
    static final Set<String> HOME_FOLDERS = Set.of("artifacts", "staging");
    private static final String FORMAT = "reclaim-home";
    private static final Logger LOG = LoggerFactory.getLogger(HomeMarker.class);

    private HomeMarker() {
    }

    /**
     * Makes sure {@code home} is a Reclaim home: marked already, or new, empty or holding only
     * Reclaim's files (then it is marked now), or {@code force} (adopt-root).
     *
     * @param source where the home came from (--home, RECLAIM_HOME, the default), for the message
     * @param clock  the time recorded in a new marker
     * @throws InvalidArgumentException for a folder with other files or a marker Reclaim did not write; nothing was created
     */
    static void claim(Path home, String source, boolean force, Clock clock) {
        if (!check(home, source, force)) {
            write(home, home.resolve(NAME), clock.instant());
        }
    }

    /**
     * The refusals of {@link #claim}, writing nothing: for a command to stop before it creates anything.
     *
     * @return true when the home is marked already (nothing to write)
     * @throws InvalidArgumentException for a folder with other files or a marker Reclaim did not write
     */
    static boolean check(Path home, String source, boolean force) {
        Path marker = home.resolve(NAME);
        if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
            if (!isHomeMarker(marker) && !force) {
                throw new InvalidArgumentException(home + " (from " + source + ") has a " + NAME + " that Reclaim did not "
                        + "write; move it away if this folder is a Reclaim home, or choose another --home");
            }
            if (isHomeMarker(marker)) {
                return true;
            }
        }
        if (Files.isDirectory(home)) {
            List<String> foreign = foreignEntries(home);
            if (!foreign.isEmpty() && !force) {
                throw new InvalidArgumentException(home + " (from " + source + ") is not a Reclaim home: it holds other files "
                        + "(such as '" + foreign.get(0) + "') and no " + NAME + " marker. Give a new or empty folder with "
                        + "--home or " + ReclaimHome.ENV + " (a missing one is created); if this folder is the home you "
                        + "mean, run 'reclaim --home " + Text.shellQuote(home.toString()) + " adopt-root'");
            }
        }
        return false;
    }

    private static boolean isHomeMarker(Path marker) {
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS) || Files.size(marker) > 4096) {
                return false;
            }
            Document d = Json.mapper().readValue(Files.readString(marker), Document.class);
            return FORMAT.equals(d.format) && d.homeId != null && !d.homeId.isBlank();
        } catch (JsonProcessingException e) {
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot read " + marker + ": " + Problems.describe(e), e);
        }
    }

    private static List<String> foreignEntries(Path home) {
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> entries = Files.list(home)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(n -> !isReclaims(n))
                    .sorted().limit(3).forEach(foreign::add);
        } catch (IOException e) {
            throw new StoreException("cannot read the home folder " + home + ": " + Problems.describe(e), e);
        }
        return foreign;
    }

    /** True for what Reclaim puts in a home: such a folder is a home even without a marker. */
    static boolean isReclaims(String name) {
        return HOME_FOLDERS.contains(name) || name.startsWith("reclaim.") || name.startsWith(".reclaim");
    }

    /** Writes the marker whole (a temp file renamed into place); a home that cannot be written stays unmarked. */
    private static void write(Path home, Path marker, Instant now) {
        try {
            Files.createDirectories(home);
            Path temp = home.resolve(NAME + ".tmp-" + Ids.next(now));
            Files.writeString(temp, Json.write(new Document(FORMAT, 1, Ids.next(now), now.toString())));
            try {
                Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, marker, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (AccessDeniedException e) {
            // a read-only home of Reclaim's own files can still be read; it is marked on a later, writable use
            LOG.debug("cannot mark the home {} (read-only): {}", home, e.toString());
        } catch (FileSystemException e) {
            if (Files.isDirectory(home) && !Files.isWritable(home)) {
                LOG.debug("cannot mark the home {} (read-only): {}", home, e.toString());
                return;
            }
            throw new StoreException("cannot write " + marker + ": " + Problems.describe(e) + "; check permissions or choose another --home", e);
        } catch (IOException e) {
            throw new StoreException("cannot write " + marker + ": " + Problems.describe(e) + "; check permissions or choose another --home", e);
        }
    }

    /** The JSON shape of the marker. */
    private record Document(@JsonProperty("format") String format, @JsonProperty("version") int version,
                            @JsonProperty("home_id") String homeId, @JsonProperty("created_at") String createdAt) {
    }
}
