package io.pgwarden.protocol.message.frontend;

/**
 * What a {@link Close} or {@link Describe} message names: a prepared statement ({@code 'S'})
 * or a portal ({@code 'P'}).
 */
public enum StatementOrPortal {
    STATEMENT('S'),
    PORTAL('P');

    private final byte code;

    StatementOrPortal(char code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The kind for a wire byte, or null if the byte is neither {@code 'S'} nor {@code 'P'}. */
    static StatementOrPortal fromCode(byte code) {
        return switch (code) {
            case 'S' -> STATEMENT;
            case 'P' -> PORTAL;
            default -> null;
        };
    }
}
