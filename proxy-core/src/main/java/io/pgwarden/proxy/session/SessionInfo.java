package io.pgwarden.proxy.session;

import java.net.SocketAddress;
import java.util.Optional;

/**
 * A read-only view of one client session, as the admin API lists it.
 *
 * @param listener name of the listener the client connected to
 * @param client the client's address
 * @param state where the session is in its life
 * @param user the {@code user} startup parameter, once received
 * @param database the {@code database} startup parameter (defaults to the user), once received
 * @param node name of the backend the session is bound to, once chosen
 */
public record SessionInfo(
        String listener,
        SocketAddress client,
        SessionState state,
        Optional<String> user,
        Optional<String> database,
        Optional<String> node) {
}
