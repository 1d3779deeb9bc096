package io.pgwarden.admin.api.view;

/** The answer to {@code DELETE /api/v1/sessions/{id}}. */
public record SessionEndedView(long id, boolean terminated) {
}
