package dev.reclaim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Puts each side of a comparison on the same footing: nothing of the other side's files left in memory. */
final class Caches {
    private Caches() {
    }

    /**
     * Syncs, then drops the kernel's page, dentry and inode caches where permitted (root on
     * Linux), so a side deletes files as old files are deleted: read from disk.
     *
     * @return whether the caches were dropped
     */
    static boolean drop() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
