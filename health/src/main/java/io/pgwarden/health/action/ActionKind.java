package io.pgwarden.health.action;

/** The pluggable failover actions, named as their keys under {@code pgwarden.failover}. */
public enum ActionKind {
    /** Make a standby the primary. Built-in: {@code pg_promote(wait => true)}. */
    PROMOTE("promote"),
    /**
     * Stop a node from taking writes. Built-in (only when the node is reachable): soft fence,
     * {@code default_transaction_read_only = on}, reload, terminate client backends.
     */
    FENCE("fence"),
    /** Point a standby at the new primary. Built-in: {@code ALTER SYSTEM SET primary_conninfo}, reload. */
    FOLLOW("follow"),
    /** Turn a fenced old primary into a standby of the new one (e.g. {@code pg_rewind}). No built-in. */
    REJOIN("rejoin"),
    /** Runs on every change of a node's health, role or fence, and of the elected primary. No built-in. */
    ON_STATE_CHANGE("on-state-change");

    private final String configName;

    ActionKind(String configName) {
        this.configName = configName;
    }

    /** The key under {@code pgwarden.failover}, also {@code PGWARDEN_ACTION} of a script. */
    public String configName() {
        return configName;
    }
}
