package io.pgwarden.proxy.cancel;

/**
 * The key pair the proxy hands a client in its own BackendKeyData, in place of the server's.
 *
 * @param processId what the client believes is the backend process ID
 * @param secretKey the secret the client must present to cancel
 */
public record ProxyCancelKey(int processId, int secretKey) {

    long packed() {
        return pack(processId, secretKey);
    }

    static long pack(int processId, int secretKey) {
        return (long) processId << 32 | (secretKey & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "ProxyCancelKey[processId=" + processId + "]";
    }
}
