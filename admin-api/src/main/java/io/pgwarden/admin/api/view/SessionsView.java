package io.pgwarden.admin.api.view;

import java.util.List;

/** {@code GET /api/v1/sessions}: client sessions, oldest first. */
public record SessionsView(List<SessionView> sessions) {

    /**
     * One client session.
     *
     * @param node backend it is bound to, null while none
     * @param state {@code startup}, {@code held}, {@code idle}, {@code active}, {@code in-transaction}
     * @param ageSeconds since the client connected
     */
    public record SessionView(
            long id,
            String listener,
            String clientAddress,
            String user,
            String database,
            String applicationName,
            String node,
            String state,
            String openedAt,
            double ageSeconds) {
    }
}
