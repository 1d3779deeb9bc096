package io.pgwarden.admin.api.view;

/**
 * {@code GET /healthz} and {@code GET /readyz}.
 *
 * @param status {@code alive}, {@code ready} or {@code not-ready}
 * @param listenersBound for readyz: whether every client listener is bound; null for healthz
 * @param primaryElected for readyz: whether a routable primary is elected; null for healthz
 */
public record HealthView(String status, Boolean listenersBound, Boolean primaryElected) {
}
