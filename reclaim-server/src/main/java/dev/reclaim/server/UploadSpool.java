package dev.reclaim.server;

import dev.reclaim.Problems;
import dev.reclaim.model.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The body of a streamed upload, copied to a temporary file in the staging folder a buffer at a
 * time (never held whole in memory), counted against the size limit and hashed on the way; the
 * file is then added through the artifact write protocol and removed. A body over the limit or
 * with another SHA-256 than the one announced is refused before anything reaches the store.
 */
final class UploadSpool implements AutoCloseable {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long size;
    private final String sha256;

    private UploadSpool(Path file, long size, String sha256) {
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
    }

    /** {@code expected} as a SHA-256 (64 hex digits, any case) in lower case, or null when none is given. */
    static String checksum(String expected) {
        if (expected == null) {
            return null;
        }
        String v = expected.trim().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(v).matches()) {
            throw ApiException.badRequest(BulkRoutes.CHECKSUM_HEADER + " must be the SHA-256 of the body as 64 hex digits, "
                    + "got '" + Problems.scrub(expected.length() > 80 ? expected.substring(0, 80) + "..." : expected) + "'");
        }
        return v;
    }

    /**
     * Copies {@code in} into a new file in {@code folder}.
     *
     * @throws ApiException 413 when it holds more than {@code limit} bytes, 422 when {@code expected}
     *                      is given and differs from its SHA-256; the file is removed either way
     */
    static UploadSpool copy(InputStream in, Path folder, long limit, String expected) {
        Path file;
        try {
            Files.createDirectories(folder);
            file = Files.createTempFile(folder, "upload-", ".part");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an upload file in " + folder + ": " + Problems.describe(e), e);
        }
        boolean kept = false;
        try {
            MessageDigest digest = Sha256.newDigest();
            long total = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                    if (total > limit) {
                        throw new ApiException(413, Errors.TOO_LARGE, "the upload is larger than the server accepts ("
                                + limit + " bytes); nothing was stored. Register a large object in place instead "
                                + "(POST " + ReclaimServer.API + "/tasks/artifacts/batch), or ask for a larger limit");
                    }
                    digest.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                throw ApiException.badRequest("the upload could not be read to its end: " + Problems.describe(e)
                        + "; nothing was stored. Send it again");
            }
            String actual = Sha256.hex(digest);
            if (expected != null && !expected.equals(actual)) {
                throw new ApiException(422, BulkRoutes.CHECKSUM_MISMATCH, "the body's SHA-256 is " + actual + ", not the "
                        + expected + " that " + BulkRoutes.CHECKSUM_HEADER + " announced: it was changed or cut off on the "
                        + "way; nothing was stored. Send it again");
            }
            kept = true;
            return new UploadSpool(file, total, actual);
        } finally {
            if (!kept) {
                deleteQuietly(file);
            }
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    String sha256() {
        return sha256;
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the staging folder; it is this process's own and harmless
        }
    }
}
