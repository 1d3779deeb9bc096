package io.pgwarden.protocol.scan;

/**
 * What a {@link BackendMessageScanner} reports from the server-to-client stream. Every method
 * has an empty default, so an implementation overrides only what it needs. Parameters are
 * primitives or enum constants: reporting allocates nothing.
 *
 * <p>Indices refer to the buffer passed to the {@code scan} call that makes the report, and
 * stay valid as long as that buffer is not modified.
 */
public interface BackendMessageListener {

    /**
     * ReadyForQuery ({@code Z}), reported once its status byte has been scanned.
     *
     * @param transactionStatus {@code 'I'} idle, {@code 'T'} in a transaction block,
     *        {@code 'E'} in a failed transaction block
     */
    default void readyForQuery(byte transactionStatus) {
    }

    /**
     * ErrorResponse ({@code E}), reported once its whole body has been scanned.
     *
     * @param severity from the {@code V} field, else the {@code S} field
     * @param sqlState the {@code C} field as {@link PackedSqlState}, or
     *        {@link PackedSqlState#NONE} if missing or malformed
     */
    default void errorResponse(ErrorSeverity severity, int sqlState) {
    }

    /**
     * ParameterStatus ({@code S}), reported when its header has been scanned.
     *
     * @param messageIndex index of the message's type byte when the whole message lies in
     *        the current buffer (so name and value may be read there with absolute getters;
     *        the length is the Int32 at {@code messageIndex + 1}), otherwise -1
     */
    default void parameterStatus(int messageIndex) {
    }

    /** BackendKeyData ({@code K}), reported when its header has been scanned. */
    default void backendKeyData() {
    }

    /**
     * CopyInResponse ({@code G}), CopyOutResponse ({@code H}) or CopyBothResponse ({@code W}),
     * reported when its header has been scanned: the session enters copy mode.
     */
    default void copyResponse(byte type) {
    }

    /** NotificationResponse ({@code A}), reported when its header has been scanned. */
    default void notificationResponse() {
    }
}
