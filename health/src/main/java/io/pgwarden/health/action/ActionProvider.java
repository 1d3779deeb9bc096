package io.pgwarden.health.action;

import io.pgwarden.config.ActionSettings;
import io.pgwarden.health.probe.MonitorConnector;

/**
 * Supplies Java implementations of actions, found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/io.pgwarden.health.action.ActionProvider} of a jar on the
 * class path. An action uses it when its command is {@code java:<name>}, e.g.
 * {@code failover.promote.command = "java:cloud-api"}; so a jar on the class path never replaces
 * an action by its mere presence.
 */
public interface ActionProvider {

    /** The name used after {@code java:}. */
    String name();

    /**
     * @param kind the action to create
     * @param settings its configuration (the timeout applies as for a command)
     * @param connector monitor connections to backends, for implementations that use SQL
     */
    FailoverAction create(ActionKind kind, ActionSettings settings, MonitorConnector connector);
}
