package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;

/**
 * An artifact root this task store may not use: it has no Reclaim marker and other content, or
 * another task store's marker, or it is not the root this task store's records live in. Nothing
 * was read from, written to or deleted in it. The message names the root and the way forward.
 */
public final class RootRefusedException extends InvalidArgumentException {
    public RootRefusedException(String message) {
        super(message);
    }
}
