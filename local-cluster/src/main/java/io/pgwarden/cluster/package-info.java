/**
 * A local PostgreSQL cluster for demos and integration tests: one primary and streaming standbys on
 * loopback ports in a temporary directory, with the controls a failover test needs (kill, stop,
 * promote, follow, rewind, suspend).
 *
 * <p>Start with {@link io.pgwarden.cluster.LocalCluster}; tests usually reach it through
 * {@link io.pgwarden.cluster.junit.LocalClusterExtension}.
 */
package io.pgwarden.cluster;
