package io.pgwarden.server;

import io.pgwarden.server.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pgwarden} command line: entry point of the runnable jar. */
@Command(
        name = "pgwarden",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "PostgreSQL wire-protocol failover proxy.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, DemoCommand.class,
            io.pgwarden.server.cli.StatusCommand.class, io.pgwarden.server.cli.EventsCommand.class,
            io.pgwarden.server.cli.SwitchoverCommand.class, io.pgwarden.server.cli.FailoverCommand.class,
            io.pgwarden.server.cli.FenceCommand.class, io.pgwarden.server.cli.UnfenceCommand.class,
            io.pgwarden.server.cli.PauseCommand.class, io.pgwarden.server.cli.ResumeCommand.class,
            io.pgwarden.server.cli.ReloadCommand.class, CommandLine.HelpCommand.class})
public final class PgwardenCommand implements Runnable {

    /** Exit status for invalid configuration or bad usage. */
    public static final int EXIT_INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line; tests run it in-process. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new PgwardenCommand());
        commandLine.setExitCodeExceptionMapper(exception -> EXIT_INVALID);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(EXIT_INVALID);
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
