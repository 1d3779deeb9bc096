/**
 * Knows the cluster and acts on it.
 *
 * <p>{@link io.pgwarden.health.ClusterMonitor} puts the module together: one probe thread per
 * backend ({@link io.pgwarden.health.probe}) feeds one coordinator thread, where the
 * {@link io.pgwarden.health.failover.FailoverCoordinator} turns probe outcomes into
 * {@link io.pgwarden.health.topology.NodeState}s, elects the primary, fails over, fences and lets
 * nodes rejoin. Consumers read immutable {@link io.pgwarden.health.topology.Topology} snapshots
 * from a {@link io.pgwarden.health.topology.TopologySource} and the event history from the
 * {@link io.pgwarden.health.event.EventLog}. What must survive a restart (epoch, elected primary,
 * fenced nodes) goes through a {@link io.pgwarden.health.state.StateStore}. Promote, fence, follow,
 * rejoin and on-state-change are pluggable {@link io.pgwarden.health.action.FailoverAction}s.
 *
 * <p>The proxy plugs in through two interfaces: {@link io.pgwarden.health.failover.SessionTerminator}
 * (end sessions on a fenced node) and {@link io.pgwarden.health.failover.TrafficGate} (hold
 * transactions during a switchover).
 */
package io.pgwarden.health;
