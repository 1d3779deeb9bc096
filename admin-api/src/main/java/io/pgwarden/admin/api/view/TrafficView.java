package io.pgwarden.admin.api.view;

/** The answer to {@code POST /api/v1/pause} and {@code /resume}. */
public record TrafficView(boolean paused) {
}
