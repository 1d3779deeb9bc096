package io.pgwarden.admin.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One client session as the proxy knows it, for {@code GET /api/v1/sessions}.
 *
 * @param id proxy-issued, unique for the life of the process; {@code DELETE /api/v1/sessions/{id}} ends it
 * @param listener name of the listener that accepted it
 * @param clientAddress {@code host:port} of the client
 * @param user {@code user} of the StartupMessage, empty before it arrived
 * @param database {@code database} of the StartupMessage, empty before it arrived
 * @param applicationName {@code application_name} as last reported by the backend, empty when unset
 * @param node backend the session is bound to, empty while it has none
 * @param state where the session stands
 * @param openedAt when the client connected
 */
public record ClientSession(
        long id,
        String listener,
        String clientAddress,
        Optional<String> user,
        Optional<String> database,
        Optional<String> applicationName,
        Optional<String> node,
        SessionState state,
        Instant openedAt) {

    public ClientSession {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(applicationName, "applicationName");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(openedAt, "openedAt");
    }
}
