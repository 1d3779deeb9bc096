package io.pgwarden.proxy.session;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * A read-only view of one client session, as the admin API lists it. Taken from another
 * thread than the session's, so a view is a recent, not an atomic, picture.
 *
 * @param id stable for the session's life and never reused by the proxy
 * @param listener name of the listener the client connected to
 * @param client the client's address
 * @param user the {@code user} startup parameter, once received
 * @param database the {@code database} startup parameter (defaults to the user), once received
 * @param applicationName the {@code application_name} the server last reported, else the startup
 *     parameter
 * @param node name of the backend the session is bound to, once chosen
 * @param state where the session is in its life
 * @param openedAt when the proxy accepted the connection
 */
public record SessionInfo(
        long id,
        String listener,
        SocketAddress client,
        Optional<String> user,
        Optional<String> database,
        Optional<String> applicationName,
        Optional<String> node,
        SessionState state,
        Instant openedAt) {
}
