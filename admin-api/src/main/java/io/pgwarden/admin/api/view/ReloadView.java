package io.pgwarden.admin.api.view;

import java.util.List;

/**
 * The answer to {@code POST /api/v1/reload} that was applied.
 *
 * @param applied changes in effect now
 * @param restartRequired changes that wait for a restart
 */
public record ReloadView(List<String> applied, List<String> restartRequired) {
}
