package dev.reclaim.slurm;

import dev.reclaim.ReclaimException;

/** A Slurm command printed something Reclaim does not understand; the message quotes it. */
public class SlurmOutputException extends ReclaimException {
    public SlurmOutputException(String message) {
        super(message);
    }
}
