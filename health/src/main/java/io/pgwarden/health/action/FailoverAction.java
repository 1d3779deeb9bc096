package io.pgwarden.health.action;

/**
 * One action: a shell command, a built-in, or a Java implementation from an {@link ActionProvider}.
 * Implementations must return within the request's timeout and report failure in the result
 * rather than throw.
 */
public interface FailoverAction {

    /** What runs, for events and logs. */
    String description();

    /**
     * Whether the action needs a connection to the node it acts on. Such an action is not run
     * on a DOWN node: fencing an unreachable primary with SQL would only delay the failover.
     */
    default boolean needsReachableNode() {
        return false;
    }

    ActionResult run(ActionRequest request);
}
