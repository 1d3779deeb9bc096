package io.pgwarden.server;

import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.InvalidConfigException;
import io.pgwarden.config.LogFormat;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.server.reload.ReloadSignal;
import io.pgwarden.server.runtime.PgwardenRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgwarden run --config FILE}: runs the proxy until SIGTERM or SIGINT; SIGHUP reloads the file. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs pgwarden with a configuration file.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "HOCON configuration file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PgwardenSettings settings;
        SettingsLoader loader = new SettingsLoader();
        try {
            settings = loader.load(config).requireRunnable();
        } catch (InvalidConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(config + ": not started, the configuration has problems:");
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem.describe());
            }
            err.flush();
            return PgwardenCommand.EXIT_INVALID;
        }
        LoggingSetup.apply(settings.logging().format() == LogFormat.JSON,
                settings.logging().level().configName());
        ShutdownSignal shutdown = ShutdownSignal.install();
        try (PgwardenRuntime runtime = new PgwardenRuntime(settings, config, loader)) {
            try {
                runtime.start();
            } catch (IOException | RuntimeException e) {
                log.error("pgwarden could not start: {}", e.getMessage());
                return 1;
            }
            // SIGHUP is handled before "started" is logged: whoever waits for that line may send it.
            try (ReloadSignal reload = ReloadSignal.install(runtime.reloader())) {
                log.info("pgwarden {} started: {}", VersionProvider.version(), settings.summary());
                String signal = shutdown.await();
                log.info("pgwarden stopping on {}", signal);
            }
        }
        log.info("pgwarden stopped");
        return 0;
    }
}
