package io.pgwarden.proxy.it;

import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.TestSettings;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.proxy.topology.MutableTopology;
import io.pgwarden.proxy.topology.TopologySource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A proxy started in-process in front of a {@link LocalCluster}: listener {@code rw} (route
 * primary) and {@code ro} (route standby) on ephemeral loopback ports, the cluster's nodes as
 * backends, the current primary first.
 */
final class ProxyHarness implements AutoCloseable {

    private final LocalCluster cluster;
    private final ProxyServer server;
    private final TopologySource topology;

    private ProxyHarness(LocalCluster cluster, ProxyServer server, TopologySource topology) {
        this.cluster = cluster;
        this.server = server;
        this.topology = topology;
    }

    /** A proxy with a mutable topology built from the cluster, and {@code extraHocon} inside {@code pgwarden { }}. */
    static ProxyHarness start(LocalCluster cluster, String extraHocon) {
        PgwardenSettings settings = settings(cluster, extraHocon);
        return start(cluster, settings, MutableTopology.fromBackends(settings.backends()));
    }

    static ProxyHarness start(LocalCluster cluster, PgwardenSettings settings, TopologySource topology) {
        ProxyServer server = new ProxyServer(settings, topology);
        server.start();
        return new ProxyHarness(cluster, server, topology);
    }

    static PgwardenSettings settings(LocalCluster cluster, String extraHocon) {
        LocalNode primary = cluster.primary();
        List<TestSettings.Backend> backends = new ArrayList<>();
        backends.add(new TestSettings.Backend(primary.name(), primary.host(), primary.port()));
        cluster.nodes().stream()
                .filter(node -> node != primary)
                .forEach(node -> backends.add(new TestSettings.Backend(node.name(), node.host(), node.port())));
        return TestSettings.of(backends, extraHocon);
    }

    ProxyServer server() {
        return server;
    }

    MutableTopology topology() {
        return (MutableTopology) topology;
    }

    int port(String listener) {
        return server.port(listener);
    }

    String jdbcUrl(String listener) {
        return "jdbc:postgresql://127.0.0.1:" + port(listener) + "/postgres";
    }

    Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("password", cluster.password());
        properties.setProperty("sslmode", "disable");
        properties.setProperty("connectTimeout", "20");
        properties.setProperty("socketTimeout", "60");
        return properties;
    }

    Connection connect(String listener) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(listener), credentials());
    }

    Connection connect(String listener, Properties extra) throws SQLException {
        Properties properties = credentials();
        properties.putAll(extra);
        return DriverManager.getConnection(jdbcUrl(listener), properties);
    }

    @Override
    public void close() {
        server.close();
    }
}
