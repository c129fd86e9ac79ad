package dev.reclaim.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code reclaim completion bash|zsh}: prints a shell completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a completion script for bash or zsh: commands, options and option values complete "
                + "on Tab. The script is generated from this build's commands, so it is always current.",
                "zsh runs the same script through its bash-completion layer (bashcompinit), which the script loads."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(reclaim completion bash)                     # this shell",
                "  reclaim completion bash > ~/.local/share/bash-completion/completions/reclaim",
                "  echo 'source <(reclaim completion zsh)' >> ~/.zshrc"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        String which = shell.toLowerCase(Locale.ROOT);
        if (!which.equals("bash") && !which.equals("zsh")) {
            spec.commandLine().getErr().println("no completion for shell '" + shell + "': give bash or zsh");
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().print(AutoComplete.bash("reclaim", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
