package io.pgwarden.health.probe;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.MonitorSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.Driver;

/**
 * Opens connections to backends as the monitor account ({@code pgwarden.monitor}), for probes and
 * for the built-in actions.
 *
 * <p>pgjdbc counts its timeouts in whole seconds, and a probe deadline is a few hundred
 * milliseconds. So the driver's own timeouts are only a backstop that eventually frees a thread
 * stuck on a hung server; the real deadline is enforced by the caller waiting on the work with
 * {@link Future#get(long, TimeUnit)} and then aborting the connection, which closes its socket and
 * unblocks the read.
 */
public final class MonitorConnector implements AutoCloseable {

    private final MonitorSettings monitor;
    private final BackendTlsSettings tls;
    private volatile Duration connectTimeout;
    private final Driver driver = new Driver();
    private final ExecutorService oneShotWorkers;

    public MonitorConnector(MonitorSettings monitor, BackendTlsSettings tls, Duration connectTimeout) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        AtomicInteger count = new AtomicInteger();
        this.oneShotWorkers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "pgwarden-sql-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@code application_name} of every monitor connection; a soft fence spares sessions with it. */
    public String applicationName() {
        return monitor.applicationName();
    }

    /** The monitor role, used when a standby's {@code primary_conninfo} must be written from nothing. */
    public String user() {
        return monitor.user();
    }

    /** How long opening a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Changes how long opening a connection may take, for connections opened from now on (a reload). */
    public void connectTimeout(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /**
     * Opens a connection, blocking. The caller enforces its own deadline; {@code readBackstop}
     * is the driver's socket timeout, which only bounds how long a hung read can hold the thread.
     */
    public Connection open(BackendSettings node, Duration readBackstop) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", monitor.user());
        monitor.password().ifPresent(secret -> properties.setProperty("password", secret.value()));
        properties.setProperty("ApplicationName", monitor.applicationName());
        Duration connectTimeout = this.connectTimeout;
        properties.setProperty("connectTimeout", String.valueOf(wholeSecondsAtLeastOne(connectTimeout)));
        properties.setProperty("socketTimeout", String.valueOf(wholeSecondsAtLeastOne(readBackstop.plus(connectTimeout))));
        properties.setProperty("loginTimeout", "0");
        properties.setProperty("tcpKeepAlive", "true");
        // Fewer round trips at connect time: no version-dependent SET statements after startup.
        properties.setProperty("assumeMinServerVersion", "10");
        properties.setProperty("preferQueryMode", "simple");
        tls.caFile().ifPresent(path -> properties.setProperty("sslrootcert", path.toString()));
        switch (tls.mode()) {
            case DISABLE -> properties.setProperty("sslmode", "disable");
            case PREFER -> properties.setProperty("sslmode", "prefer");
            case REQUIRE -> properties.setProperty("sslmode", tls.caFile().isPresent() ? "verify-ca" : "require");
            case VERIFY_FULL -> properties.setProperty("sslmode", "verify-full");
        }
        Connection connection = driver.connect(jdbcUrl(node), properties);
        if (connection == null) {
            throw new SQLException("pgjdbc rejected the URL " + jdbcUrl(node));
        }
        connection.setAutoCommit(true);
        return connection;
    }

    /**
     * Opens a connection to {@code node}, runs {@code work} on it and closes it, all within
     * {@code deadline}. At the deadline the connection is aborted and a {@link TimeoutException}
     * thrown; a thread still stuck opening the connection closes it as soon as it gets one.
     */
    public <T> T call(BackendSettings node, Duration deadline, SqlWork<T> work)
            throws SQLException, TimeoutException, InterruptedException {
        AtomicReference<Connection> opened = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<T> future = oneShotWorkers.submit(() -> {
            Connection connection = open(node, deadline);
            if (!opened.compareAndSet(null, connection) || abandoned.get()) {
                abort(connection);
                throw new TimeoutException("abandoned");
            }
            try (connection) {
                return work.apply(connection);
            }
        });
        try {
            return future.get(Math.max(1, deadline.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
            Connection connection = opened.getAndSet(null);
            if (connection != null) {
                abort(connection);
            }
            future.cancel(true);
            throw new TimeoutException("no answer from " + node.name() + " within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /** Closes the socket at once, without the goodbye a blocked connection could not send anyway. */
    static void abort(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken: nothing left to release.
            }
        }
    }

    private String jdbcUrl(BackendSettings node) {
        String host = node.host().contains(":") && !node.host().startsWith("[") ? "[" + node.host() + "]" : node.host();
        return "jdbc:postgresql://" + host + ":" + node.port() + "/"
                + URLEncoder.encode(monitor.database(), StandardCharsets.UTF_8);
    }

    private static long wholeSecondsAtLeastOne(Duration duration) {
        long millis = duration.toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public void close() {
        oneShotWorkers.shutdownNow();
    }
}
