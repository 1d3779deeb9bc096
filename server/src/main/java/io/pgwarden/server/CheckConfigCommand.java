package io.pgwarden.server;

import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.InvalidConfigException;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgwarden check-config FILE}: validates a configuration file and reports every problem. */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = {
            "Validates a configuration file without starting anything.",
            "Prints every problem with its key path and exits 2; exits 0 with a one-line summary when valid."
        })
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "HOCON configuration file")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PgwardenSettings settings = new SettingsLoader().load(file).requireRunnable();
            out.println(file + ": valid: " + settings.summary());
            out.flush();
            return 0;
        } catch (InvalidConfigException e) {
            int count = e.problems().size();
            err.println(file + ": " + count + (count == 1 ? " problem" : " problems") + ":");
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem.describe());
            }
            err.flush();
            return PgwardenCommand.EXIT_INVALID;
        }
    }
}
