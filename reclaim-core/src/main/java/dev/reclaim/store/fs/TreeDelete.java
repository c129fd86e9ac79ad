package dev.reclaim.store.fs;

import dev.reclaim.Problems;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeleteOutcome.Status;
import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * {@link FileArtifactStore#deleteBatch}: the keys become a tree of folders, and the tree is deleted
 * the way {@code rm -rf} does it: each folder is opened once (from its parent's handle, never
 * through a link), its files are unlinked relative to it (no stat first: a missing file is ABSENT),
 * its sub-folders are done as parallel fork/join tasks, then the emptied sub-folders are removed
 * (a folder still holding something is left). Outcomes are returned in the order of the keys.
 */
final class TreeDelete {
    private final String[] keys;
    private final DeleteOutcome[] outcomes;

    private TreeDelete(String[] keys) {
        this.keys = keys;
        this.outcomes = new DeleteOutcome[keys.length];
    }

    static List<DeleteOutcome> run(Dir root, Collection<String> keys, ForkJoinPool pool) {
        TreeDelete batch = new TreeDelete(keys.toArray(new String[0]));
        Node top = batch.buildTree();
        if (!top.isEmpty()) {
            try {
                pool.invoke(batch.new FolderTask(root, top));
            } catch (RuntimeException e) {
                batch.failUnset("batch delete failed: " + Problems.describe(e));
            }
        }
        batch.failUnset("not attempted (the batch stopped early)");
        return Arrays.asList(batch.outcomes);
    }

    private Node buildTree() {
        Node top = new Node(null, null);
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i];
            try {
                StorageKeys.validate(key);
            } catch (InvalidArgumentException e) {
                outcomes[i] = new DeleteOutcome(key, Status.FAILED, e.getMessage());
                continue;
            }
            if (key.length() > FsNames.MAX_NAME_BYTES / 3 && !FsNames.fitsFileNames(FsNames.segments(key))) {
                outcomes[i] = new DeleteOutcome(key, Status.ABSENT, null); // longer than a file name: never stored
                continue;
            }
            Node node = top;
            int start = 0;
            int slash;
            while ((slash = key.indexOf('/', start)) >= 0) {
                node = node.child(key.substring(start, slash));
                start = slash + 1;
            }
            node.addFile(i, key.substring(start));
        }
        return top;
    }

    private void failUnset(String reason) {
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = new DeleteOutcome(keys[i], Status.FAILED, reason);
            }
        }
    }

    /** Deletes one folder's keys, then its sub-folders in parallel, then prunes them. */
    private final class FolderTask extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Dir parent;
        private final transient Node node;
        private boolean opened;

        FolderTask(Dir parent, Node node) {
            this.parent = parent;
            this.node = node;
        }

        @Override
        protected void compute() {
            if (node.name == null) {
                process(parent);
                return;
            }
            Dir dir;
            try {
                dir = parent.openDir(node.name);
            } catch (NoSuchFileException | NotDirectoryException e) {
                mark(node, Status.ABSENT, null);
                return;
            } catch (LinkNotFollowedException e) {
                mark(node, Status.FAILED, "folder '" + node.path() + "' is a symbolic link; links are never followed");
                return;
            } catch (IOException | RuntimeException e) {
                mark(node, Status.FAILED, "cannot open folder '" + node.path() + "': " + Problems.describe(e));
                return;
            }
            opened = true;
            try {
                process(dir);
            } finally {
                try {
                    dir.close();
                } catch (IOException e) {
                    // a read-only folder handle
                }
            }
        }

        private void process(Dir dir) {
            for (int f = 0; f < node.fileCount; f++) {
                int index = node.fileIndex[f];
                outcomes[index] = unlink(dir, node.fileNames[f], keys[index]);
            }
            if (node.children == null) {
                return;
            }
            List<FolderTask> tasks = new ArrayList<>(node.children.size());
            for (Node child : node.children.values()) {
                tasks.add(new FolderTask(dir, child));
            }
            try {
                invokeAll(tasks);
            } catch (RuntimeException e) {
                mark(node, Status.FAILED, "batch delete failed: " + Problems.describe(e));
            }
            for (FolderTask task : tasks) {
                if (task.opened) {
                    try {
                        dir.deleteDir(task.node.name);
                    } catch (IOException | RuntimeException e) {
                        // not empty (a file we did not delete, or a concurrent writer's): keep it
                    }
                }
            }
        }
    }

    private static DeleteOutcome unlink(Dir dir, String name, String key) {
        try {
            dir.deleteFile(name);
            return new DeleteOutcome(key, Status.DELETED, null);
        } catch (NoSuchFileException e) {
            return new DeleteOutcome(key, Status.ABSENT, null);
        } catch (IOException | RuntimeException e) {
            try {
                if (dir.attributes(name).isDirectory()) {
                    return new DeleteOutcome(key, Status.ABSENT, null); // a folder: there is no object at this key
                }
            } catch (NoSuchFileException gone) {
                return new DeleteOutcome(key, Status.ABSENT, null);
            } catch (IOException | RuntimeException ignored) {
                // report the original failure
            }
            return new DeleteOutcome(key, Status.FAILED, "cannot delete: " + Problems.describe(e));
        }
    }

    /** Sets an outcome for every key of the subtree that has none yet. */
    private void mark(Node node, Status status, String error) {
        for (int f = 0; f < node.fileCount; f++) {
            int index = node.fileIndex[f];
            if (outcomes[index] == null) {
                outcomes[index] = new DeleteOutcome(keys[index], status, error);
            }
        }
        if (node.children != null) {
            for (Node child : node.children.values()) {
                mark(child, status, error);
            }
        }
    }

    /** A folder of the batch: the keys directly in it and its sub-folders. */
    private static final class Node {
        final Node parent;
        final String name;
        Map<String, Node> children;
        int[] fileIndex = new int[0];
        String[] fileNames = new String[0];
        int fileCount;

        Node(Node parent, String name) {
            this.parent = parent;
            this.name = name;
        }

        Node child(String childName) {
            if (children == null) {
                children = new HashMap<>();
            }
            return children.computeIfAbsent(childName, n -> new Node(this, n));
        }

        void addFile(int index, String fileName) {
            if (fileCount == fileIndex.length) {
                int grown = Math.max(4, fileCount * 2);
                fileIndex = Arrays.copyOf(fileIndex, grown);
                fileNames = Arrays.copyOf(fileNames, grown);
            }
            fileIndex[fileCount] = index;
            fileNames[fileCount] = fileName;
            fileCount++;
        }

        boolean isEmpty() {
            return fileCount == 0 && children == null;
        }

        String path() {
            return parent == null || parent.name == null ? name : parent.path() + "/" + name;
        }
    }
}
