package io.pgwarden.protocol.auth;

/**
 * server-first-message (RFC 5802 section 7): the combined nonce, the salt and the iteration
 * count. {@code text} is the message exactly as sent, which the signatures cover.
 */
record ServerFirstMessage(String text, String nonce, byte[] salt, int iterations) {

    static ServerFirstMessage of(String nonce, byte[] salt, int iterations) {
        return new ServerFirstMessage("r=" + nonce + ",s=" + ScramAttributes.base64(salt) + ",i=" + iterations,
            nonce, salt, iterations);
    }

    /**
     * @param maxIterations the highest iteration count accepted: each iteration costs an HMAC,
     *        so an absurd count from a hostile server would stall the client
     */
    static ServerFirstMessage parse(String message, int maxIterations) {
        final String[] parts = ScramAttributes.split(message);
        ScramAttributes.rejectMandatoryExtension(parts, 0);
        final String nonce = ScramAttributes.nonce(ScramAttributes.value(parts, 0, 'r', "nonce"));
        final byte[] salt = ScramAttributes.base64(ScramAttributes.value(parts, 1, 's', "salt"), "salt");
        if (salt.length == 0) {
            throw ScramException.malformed("empty salt");
        }
        final String count = ScramAttributes.value(parts, 2, 'i', "iteration count");
        final int iterations;
        try {
            iterations = count.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(count) : -1;
        } catch (NumberFormatException e) {
            throw ScramException.malformed("iteration count " + ScramAttributes.printable(count) + " is too large");
        }
        if (iterations < 1 || iterations > maxIterations) {
            throw ScramException.malformed("iteration count \"" + ScramAttributes.printable(count)
                + "\" is not between 1 and " + maxIterations);
        }
        ScramAttributes.checkExtensions(parts, 3, parts.length);
        return new ServerFirstMessage(message, nonce, salt, iterations);
    }

    @Override
    public String toString() {
        return text;
    }
}
