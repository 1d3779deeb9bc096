package io.pgwarden.proxy.cancel;

import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.proxy.topology.BackendNode;
import java.util.Objects;

/**
 * Where a cancel request must go: the server and the key it issued in its BackendKeyData.
 *
 * @param node the backend the session runs on
 * @param processId the backend's process ID
 * @param secretKey the backend's secret key (4 bytes in protocol 3.0, up to 256 in 3.2)
 */
public record CancelTarget(BackendNode node, int processId, Bytes secretKey) {

    public CancelTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(secretKey, "secretKey");
    }
}
