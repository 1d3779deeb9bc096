package io.pgwarden.admin.api.view;

/**
 * The answer to {@code POST /api/v1/nodes/{name}/fence}, {@code /unfence} and {@code /drain}.
 *
 * @param node the node
 * @param command {@code fence}, {@code unfence} or {@code drain}
 * @param message what happened
 * @param sessions for {@code drain}: client sessions still on the node; null otherwise
 */
public record NodeCommandView(String node, String command, String message, Integer sessions) {
}
