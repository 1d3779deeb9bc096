package io.pgwarden.admin.port;

/**
 * What {@code GET /readyz} asks the proxy. The admin API adds the cluster's side itself: a
 * routable primary must be elected.
 */
@FunctionalInterface
public interface Readiness {

    /** Without a proxy nothing listens for clients: never ready. */
    Readiness NONE = () -> false;

    /** Whether every configured client listener is bound and accepting. */
    boolean listenersBound();
}
