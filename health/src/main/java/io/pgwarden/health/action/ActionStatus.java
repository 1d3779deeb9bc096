package io.pgwarden.health.action;

/** How an action ended. */
public enum ActionStatus {
    SUCCEEDED,
    /** Non-zero exit, SQL error, or an error reported by a Java action. */
    FAILED,
    /** Killed (or abandoned) at its timeout. */
    TIMED_OUT,
    /** Nothing to run: no command and no built-in, or a built-in that needs an unreachable node. */
    NOT_RUN
}
