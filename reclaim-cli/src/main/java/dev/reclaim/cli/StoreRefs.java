package dev.reclaim.cli;

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
 */
final class StoreRefs {
    /** An object of a store: its name and its key there. */
    record Ref(String store, String key) {
    }

    private StoreRefs() {
    }

    /**
     * @param locations every open store by name, the default root's included
     * @throws InvalidArgumentException when the reference lies inside no store, naming them and what to do
     */
    static Ref resolve(String uri, Map<String, String> locations, Path cwd) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidArgumentException("--ref is empty; give s3://BUCKET/KEY or the path of a file in a store");
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
            p = cwd.resolve(v).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException("--ref '" + uri + "' is no path: " + e.getReason()
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
