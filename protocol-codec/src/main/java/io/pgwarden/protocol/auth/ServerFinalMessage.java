package io.pgwarden.protocol.auth;

/**
 * server-final-message (RFC 5802 section 7): either the server signature ({@code v=}) or an
 * error ({@code e=}). Exactly one of the two is non-null.
 */
record ServerFinalMessage(byte[] serverSignature, String error) {

    static ServerFinalMessage parse(String message) {
        final String[] parts = ScramAttributes.split(message);
        if (parts[0].startsWith("e=")) {
            return new ServerFinalMessage(null, parts[0].substring(2));
        }
        final byte[] signature = ScramAttributes.base64(
            ScramAttributes.value(parts, 0, 'v', "server signature"), "server signature");
        ScramAttributes.checkExtensions(parts, 1, parts.length);
        return new ServerFinalMessage(signature, null);
    }

    @Override
    public String toString() {
        return serverSignature != null ? "v=" + ScramAttributes.base64(serverSignature) : "e=" + error;
    }
}
