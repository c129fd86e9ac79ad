package dev.reclaim.s3;

import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import software.amazon.awssdk.http.ContentStreamProvider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The body of an upload from a file, opened without following a link, that hashes the bytes as the
 * SDK reads them: the file is read once per request stream (the SDK may open more than one, e.g. to
 * sign the payload or to retry), never once more just for the digest. Exactly {@code size} bytes
 * are sent, the size the upload declared.
 */
final class DigestingFile implements ContentStreamProvider {
    private final Path file;
    private final long size;
    private volatile String digest;

    DigestingFile(Path file, long size) {
        this.file = file;
        this.size = size;
        this.digest = size == 0 ? Sha256.of(new byte[0]) : null;
    }

    @Override
    public InputStream newStream() {
        try {
            return new Hashing(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was sent: the declared size and the digest of the last stream read to its end. */
    StoredObject stored() {
        String d = digest;
        if (d == null) {
            throw new IllegalStateException("the upload of " + file + " finished without reading the file to its end");
        }
        return new StoredObject(size, d);
    }

    private final class Hashing extends FilterInputStream {
        private final MessageDigest md = Sha256.newDigest();
        private long read;

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= size) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, size - read));
            if (n > 0) {
                md.update(b, off, n);
                read += n;
                if (read == size) {
                    digest = Sha256.hex(md);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes must still be hashed
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int got = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (got < 0) {
                    break;
                }
                skipped += got;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
