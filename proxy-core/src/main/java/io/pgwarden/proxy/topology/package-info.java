/**
 * The topology the proxy routes by: which node is the elected primary and which standbys may
 * take read sessions, as immutable snapshots with an epoch, published to subscribers.
 * {@link io.pgwarden.proxy.topology.TopologySource} is what the health module provides; the
 * static and mutable implementations here serve configurations without health checks and tests.
 * {@link io.pgwarden.proxy.topology.BackendAddressResolver} finds a node's socket address off
 * the event loops.
 */
package io.pgwarden.proxy.topology;
