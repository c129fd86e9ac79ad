package dev.reclaim.tasks;

import dev.reclaim.InvalidArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves what a person gives to {@code tasks artifacts add --ref}, {@code s3://bucket/key} or a
 * path ({@code /abs/path}, {@code file:///abs/path}, or relative to the working directory), to the
 * store whose location holds it and the object's key there, by the stores' locations
 * ({@code file:/path}, {@code s3://bucket/prefix}). Stores never overlap, so at most one holds it.
 * The CLI ({@code --ref}) and the HTTP API ({@code ref}) both resolve through it.
 */
public final class StoreRefs {
    /**
     * An object of a store: its name and its key there.
     *
     * @param store the store's name ({@code default} for the default root)
     * @param key   the object's key in that store
     */
    public record Ref(String store, String key) {
    }

    private StoreRefs() {
    }

    /**
     * Resolves a reference to the store that holds it.
     *
     * @param locations every open store by name, the default root's included ({@code Reclaim.storeLocations()})
     * @param cwd       what a relative path is relative to; null refuses relative paths (a server has no
     *                  working directory its callers know)
     * @throws InvalidArgumentException when the reference is empty, not a path, relative without a
     *                                  {@code cwd}, or lies inside no store, naming them and what to do
     */
    public static Ref resolve(String uri, Map<String, String> locations, Path cwd) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidArgumentException("the reference is empty; give s3://BUCKET/KEY or the path of a file in a store");
        }
        String where = uri.startsWith("s3://") ? uri : "file:" + fileOf(uri, cwd);
        for (Map.Entry<String, String> e : locations.entrySet()) {
            String top = e.getValue().endsWith("/") ? e.getValue() : e.getValue() + "/";
            if (where.startsWith(top) && where.length() > top.length()) {
                return new Ref(e.getKey(), where.substring(top.length()));
            }
        }
        StringBuilder stores = new StringBuilder();
        locations.forEach((name, location) -> stores.append(stores.length() == 0 ? "" : ", ").append(name).append(" = ")
                .append(location));
        throw new InvalidArgumentException(uri + " is inside none of this home's artifact stores (" + stores + "), so "
                + "nothing was registered. Add the folder or S3 prefix that holds it first: reclaim stores add NAME LOCATION");
    }

    /**
     * The absolute path of a file reference, its folder's links resolved as the stores' locations are
     * (the file itself is left as it is: the store reads it without following a link).
     */
    private static Path fileOf(String uri, Path cwd) {
        String v = uri.startsWith("file://") ? uri.substring("file://".length())
                : uri.startsWith("file:") ? uri.substring("file:".length()) : uri;
        Path p;
        try {
            Path given = Path.of(v);
            if (cwd == null && !given.isAbsolute()) {
                throw new InvalidArgumentException("reference '" + uri + "' is a relative path; give s3://BUCKET/KEY, "
                        + "an absolute path or file:///PATH");
            }
            p = (cwd == null ? given : cwd.resolve(v)).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException("reference '" + uri + "' is no path: " + e.getReason()
                    + "; give s3://BUCKET/KEY or the path of a file in a store");
        }
        Path folder = p.getParent();
        if (folder != null && p.getFileName() != null && Files.isDirectory(folder)) {
            try {
                return folder.toRealPath().resolve(p.getFileName());
            } catch (IOException e) {
                return p;
            }
        }
        return p;
    }
}
