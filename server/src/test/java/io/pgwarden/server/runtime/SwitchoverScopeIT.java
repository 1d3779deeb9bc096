package io.pgwarden.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.health.failover.FailoverResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A switchover pauses only the two nodes whose roles change: a read transaction left open on
 * the other standby neither holds the switchover up nor is cut by it.
 */
class SwitchoverScopeIT {

    /** Short, so that a pause of every session would make the switchover fail quickly. */
    private static final Duration SWITCHOVER_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path stateDir;

    private ProxiedCluster proxied;
    private final List<Connection> opened = new ArrayList<>();

    @AfterEach
    void stop() {
        opened.forEach(ProxiedCluster::closeQuietly);
        if (proxied != null) {
            proxied.close();
        }
    }

    @Test
    void aReadTransactionOnAnotherStandbyDoesNotHoldTheSwitchoverAndIsNotCut() throws Exception {
        proxied = ProxiedCluster.start(stateDir, "CREATE TABLE reports (id int PRIMARY KEY); INSERT INTO reports VALUES (1)",
                "pgwarden.failover.switchover-timeout = " + SWITCHOVER_TIMEOUT.toMillis() + "ms");
        LocalCluster cluster = proxied.cluster();
        cluster.awaitReplayed(ProxiedCluster.DEADLINE);
        LocalNode oldPrimary = cluster.primary();

        // A report on one standby, inside a transaction that stays open across the switchover.
        Connection report = readSessionOnAStandby();
        LocalNode reportNode = nodeOnPort(cluster, serverPort(report));
        report.setAutoCommit(false);
        assertThat(count(report)).isEqualTo(1);
        LocalNode candidate = cluster.standbys().stream()
                .filter(node -> !node.name().equals(reportNode.name()))
                .findFirst().orElseThrow();

        FailoverResult result = proxied.pgwarden().monitor().switchover(Optional.of(candidate.name()))
                .get(ProxiedCluster.DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.succeeded()).as(result.message()).isTrue();
        assertThat(result.newPrimary()).contains(candidate.name());
        assertThat(result.duration()).isLessThan(SWITCHOVER_TIMEOUT);
        // The report's transaction goes on where it was, and ends as its client chooses.
        assertThat(count(report)).isEqualTo(1);
        assertThat(serverPort(report)).isEqualTo(reportNode.port());
        report.commit();
        try (Connection writer = proxied.connectReadWrite()) {
            opened.add(writer);
            assertThat(serverPort(writer)).isEqualTo(candidate.port()).isNotEqualTo(oldPrimary.port());
        }
    }

    /** Read-only sessions until one lands on a standby (the route balances over both). */
    private Connection readSessionOnAStandby() throws SQLException {
        List<Integer> standbyPorts = proxied.cluster().standbys().stream().map(LocalNode::port).toList();
        for (int attempt = 0; attempt < 10; attempt++) {
            Connection connection = proxied.connectReadOnly();
            opened.add(connection);
            if (standbyPorts.contains(serverPort(connection))) {
                return connection;
            }
        }
        throw new AssertionError("no read-only session landed on a standby " + standbyPorts);
    }

    private static LocalNode nodeOnPort(LocalCluster cluster, int port) {
        return cluster.nodes().stream().filter(node -> node.port() == port).findFirst().orElseThrow();
    }

    private static int serverPort(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT inet_server_port()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM reports")) {
            row.next();
            return row.getLong(1);
        }
    }
}
