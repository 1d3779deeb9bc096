package io.pgwarden.server.reload;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.admin.port.Reloader;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.InvalidConfigException;
import io.pgwarden.config.LogLevel;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.proxy.listener.ProxyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file of a running pgwarden ({@code POST /api/v1/reload}, SIGHUP):
 * reads it with the loader (and environment) it was started with, refuses it whole when it is
 * invalid, and otherwise applies what can change while running, without dropping sessions
 * except those on backends that were removed or moved. See {@link ReloadPlan} for what applies
 * live and what waits for a restart.
 *
 * <p>Order of application: the cluster monitor first, since it alone may still refuse (the
 * elected primary removed or moved); then the proxy's limits, drains and the log level, which
 * cannot fail. One reload at a time. Every outcome is logged, problems as warnings.
 */
public final class ConfigReloader implements Reloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final SettingsLoader loader;
    private final ClusterMonitor monitor;
    private final ProxyServer proxy;
    private final Consumer<LogLevel> logLevel;
    private volatile PgwardenSettings inEffect;

    /** A reloader that applies {@code logging.level} to Logback's root logger. */
    public ConfigReloader(
            Path file, SettingsLoader loader, PgwardenSettings running, ClusterMonitor monitor, ProxyServer proxy) {
        this(file, loader, running, monitor, proxy, ConfigReloader::setRootLevel);
    }

    /**
     * @param running the settings the process runs with (those it was started from)
     * @param logLevel applies a new {@code logging.level}
     */
    public ConfigReloader(
            Path file, SettingsLoader loader, PgwardenSettings running, ClusterMonitor monitor, ProxyServer proxy,
            Consumer<LogLevel> logLevel) {
        this.file = Objects.requireNonNull(file, "file");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.inEffect = Objects.requireNonNull(running, "running");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
    }

    /** The file reloaded. */
    public Path file() {
        return file;
    }

    /**
     * The settings in force: those started with, plus every change a reload applied live (changes
     * that need a restart are not in it).
     */
    public PgwardenSettings inEffect() {
        return inEffect;
    }

    /**
     * @throws InvalidConfigException when the file is invalid, or the monitor refuses the change
     *     (the elected primary removed or moved): nothing is changed, the running configuration stays
     */
    @Override
    public synchronized ReloadOutcome reload() {
        try {
            PgwardenSettings next = loader.load(file).requireRunnable();
            ReloadPlan plan = ReloadPlan.between(inEffect, next);
            List<String> applied = apply(plan);
            ReloadOutcome outcome = new ReloadOutcome(applied, plan.restartRequired());
            logOutcome(outcome);
            return outcome;
        } catch (InvalidConfigException e) {
            log.warn("configuration {} not reloaded: {} problem(s); nothing was changed, the running configuration"
                    + " stays", file, e.problems().size());
            for (ConfigProblem problem : e.problems()) {
                log.warn("  {}", problem.describe());
            }
            throw e;
        }
    }

    private List<String> apply(ReloadPlan plan) {
        PgwardenSettings before = inEffect;
        PgwardenSettings after = plan.inEffect();
        if (!before.backends().equals(after.backends()) || !before.health().equals(after.health())
                || !before.failover().equals(after.failover())) {
            monitor.reconfigure(after.backends(), after.health(), after.failover());
        }
        List<String> applied = new ArrayList<>(plan.applied());
        for (String node : plan.backendsNamedAnew()) {
            if (proxy.undrain(node)) {
                applied.add("pgwarden.backends: " + node + " is no longer drained (the reload names it anew)");
            }
        }
        if (!before.limits().equals(after.limits())) {
            proxy.updateLimits(after.limits());
        }
        if (before.logging().level() != after.logging().level()) {
            logLevel.accept(after.logging().level());
        }
        inEffect = after;
        return applied;
    }

    private void logOutcome(ReloadOutcome outcome) {
        if (outcome.applied().isEmpty() && outcome.restartRequired().isEmpty()) {
            log.info("configuration {} reloaded: no changes", file);
            return;
        }
        log.info("configuration {} reloaded: {} change(s) applied, {} need a restart", file,
                outcome.applied().size(), outcome.restartRequired().size());
        outcome.applied().forEach(line -> log.info("  applied: {}", line));
        outcome.restartRequired().forEach(line -> log.warn("  not applied: {}", line));
    }

    /** Applies a level to Logback's root logger; under another SLF4J backend, nothing. */
    public static void setRootLevel(LogLevel level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.configName(), Level.INFO));
        }
    }
}
