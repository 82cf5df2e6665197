package io.nexus.cli.command;

import io.nexus.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * picocli's generated completion script. It is a bash script; zsh runs it through bashcompinit, so the zsh variant
 * is the same script with that loaded first.
 */
@Command(name = "completion", description = CompletionCommand.DESCRIPTION)
public final class CompletionCommand extends ApiCommand implements Callable<Integer> {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "Print a shell completion script: source <(nexus completion bash|zsh)";

    enum Shell { BASH, ZSH }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("nexus", spec.root().commandLine());
        var out = root().environment().out();
        if (shell == Shell.ZSH) {
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(script);
        out.flush();
        return ExitCodes.OK;
    }
}
