package dev.reclaim.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.concurrent.Callable;

/** A command that only groups subcommands: run alone, it says which subcommands exist. */
abstract class GroupCommand implements Callable<Integer> {
    abstract CommandSpec spec();

    @Override
    public Integer call() {
        throw new ParameterException(spec().commandLine(), "missing command; choose one of "
                + String.join(", ", spec().subcommands().keySet()));
    }
}
