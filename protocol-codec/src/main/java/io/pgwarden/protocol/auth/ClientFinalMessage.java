package io.pgwarden.protocol.auth;

/**
 * client-final-message (RFC 5802 section 7): channel binding, combined nonce, client proof.
 *
 * @param withoutProof the message up to (not including) {@code ",p="}, exactly as sent; the
 *        signatures cover it
 * @param channelBinding the decoded {@code c=} attribute: GS2 header plus binding data
 */
record ClientFinalMessage(String withoutProof, byte[] channelBinding, String nonce, byte[] proof) {

    static ClientFinalMessage of(byte[] channelBinding, String nonce, byte[] proof) {
        return new ClientFinalMessage("c=" + ScramAttributes.base64(channelBinding) + ",r=" + nonce,
            channelBinding, nonce, proof);
    }

    static ClientFinalMessage parse(String message, int proofLength) {
        final String[] parts = ScramAttributes.split(message);
        final byte[] channelBinding = ScramAttributes.base64(
            ScramAttributes.value(parts, 0, 'c', "channel binding"), "channel binding");
        final String nonce = ScramAttributes.nonce(ScramAttributes.value(parts, 1, 'r', "nonce"));
        if (parts.length < 3) {
            throw ScramException.malformed("attribute 'p' (proof) expected, found end of message");
        }
        ScramAttributes.checkExtensions(parts, 2, parts.length - 1);
        final byte[] proof = ScramAttributes.base64(ScramAttributes.value(parts, parts.length - 1, 'p', "proof"), "proof");
        if (proof.length != proofLength) {
            throw ScramException.malformed("client proof has " + proof.length + " bytes, expected " + proofLength);
        }
        final String withoutProof = message.substring(0, message.length() - parts[parts.length - 1].length() - 1);
        return new ClientFinalMessage(withoutProof, channelBinding, nonce, proof);
    }

    @Override
    public String toString() {
        return withoutProof + ",p=" + ScramAttributes.base64(proof);
    }
}
