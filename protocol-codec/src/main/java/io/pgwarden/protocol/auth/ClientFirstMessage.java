package io.pgwarden.protocol.auth;

/**
 * client-first-message (RFC 5802 section 7): GS2 header, then the "bare" part with user name
 * and client nonce. Parsed parts keep the exact text received, because the signatures cover
 * it byte for byte.
 *
 * @param gs2Header e.g. {@code "n,,"}, exactly as sent
 * @param bare the rest, exactly as sent, e.g. {@code "n=user,r=rOprNGfwEbeRWgbNEkqO"}
 * @param channelBindingName the name after {@code p=}, or null
 * @param authorizationId the authzid ({@code a=}), or null
 */
record ClientFirstMessage(
        String gs2Header, String bare, ChannelBinding.Flag flag, String channelBindingName,
        String authorizationId, String username, String nonce) {

    static ClientFirstMessage of(ChannelBinding channelBinding, String username, String nonce) {
        return new ClientFirstMessage(channelBinding.gs2Header(),
            "n=" + ScramAttributes.encodeSaslName(username) + ",r=" + nonce,
            channelBinding.flag(),
            channelBinding.flag() == ChannelBinding.Flag.BOUND ? ChannelBinding.TLS_SERVER_END_POINT : null,
            null, username, nonce);
    }

    static ClientFirstMessage parse(String message) {
        final String[] parts = ScramAttributes.split(message);
        if (parts.length < 4) {
            throw ScramException.malformed("client-first-message needs a GS2 header, a user name and a nonce");
        }
        final ChannelBinding.Flag flag;
        String channelBindingName = null;
        if (parts[0].equals("n")) {
            flag = ChannelBinding.Flag.NOT_SUPPORTED;
        } else if (parts[0].equals("y")) {
            flag = ChannelBinding.Flag.NOT_OFFERED;
        } else if (parts[0].startsWith("p=") && parts[0].length() > 2) {
            flag = ChannelBinding.Flag.BOUND;
            channelBindingName = parts[0].substring(2);
        } else {
            throw ScramException.malformed("unexpected channel-binding flag \"" + ScramAttributes.printable(parts[0]) + "\"");
        }
        String authorizationId = null;
        if (!parts[1].isEmpty()) {
            authorizationId = ScramAttributes.decodeSaslName(ScramAttributes.value(parts, 1, 'a', "authorization identity"));
        }
        ScramAttributes.rejectMandatoryExtension(parts, 2);
        final String username = ScramAttributes.decodeSaslName(ScramAttributes.value(parts, 2, 'n', "user name"));
        final String nonce = ScramAttributes.nonce(ScramAttributes.value(parts, 3, 'r', "nonce"));
        ScramAttributes.checkExtensions(parts, 4, parts.length);
        final int bareStart = parts[0].length() + parts[1].length() + 2;
        return new ClientFirstMessage(message.substring(0, bareStart), message.substring(bareStart),
            flag, channelBindingName, authorizationId, username, nonce);
    }

    @Override
    public String toString() {
        return gs2Header + bare;
    }
}
