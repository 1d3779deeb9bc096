package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.protocol.error.ErrorField;
import io.pgwarden.protocol.error.ErrorOrNotice;
import io.pgwarden.protocol.error.Severity;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.List;

/**
 * ErrorResponse (B): a command failed (ERROR) or the session ends (FATAL, PANIC). In the extended protocol the server then discards messages up to the next Sync.
 *
 * <p>Build one with the fields every client relies on, then add optional ones:
 * <pre>{@code
 * ErrorResponse.of(Severity.FATAL, SqlState.ADMIN_SHUTDOWN, "terminating connection: failover to pg2")
 *         .withDetail("...").withHint("...")
 *         .encode(out);
 * }</pre>
 *
 * <p>Decoding keeps all fields in order, unknown codes included, and tolerates missing ones:
 * see {@link ErrorOrNotice} for the accessors.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ERRORRESPONSE">ErrorResponse</a>
 */
public record ErrorResponse(List<ErrorField> fields) implements BackendMessage, ErrorOrNotice {
    public static final byte TYPE = 'E';

    public ErrorResponse {
        fields = List.copyOf(fields);
    }

    /**
     * A ErrorResponse with severity (both {@code S} and {@code V}), SQLSTATE and message.
     *
     * @param severity ERROR, FATAL or PANIC
     * @throws IllegalArgumentException if {@code severity} belongs in the other message type
     */
    public static ErrorResponse of(Severity severity, SqlState sqlState, String message) {
        if (!severity.isError()) {
            throw new IllegalArgumentException("a ErrorResponse cannot have severity " + severity
                    + ", only ERROR, FATAL or PANIC");
        }
        return new ErrorResponse(List.of(
                new ErrorField(ErrorField.SEVERITY, severity.name()),
                new ErrorField(ErrorField.SEVERITY_NON_LOCALIZED, severity.name()),
                new ErrorField(ErrorField.CODE, sqlState.code()),
                new ErrorField(ErrorField.MESSAGE, message)));
    }

    /** A copy with the {@code D} (detail) field set. */
    public ErrorResponse withDetail(String detail) {
        return withField(ErrorField.DETAIL, detail);
    }

    /** A copy with the {@code H} (hint) field set. */
    public ErrorResponse withHint(String hint) {
        return withField(ErrorField.HINT, hint);
    }

    /** A copy with a field set: replaces the first field with that code, or appends one. */
    public ErrorResponse withField(byte code, String value) {
        return new ErrorResponse(ErrorField.with(fields, code, value));
    }

    public static ErrorResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "ErrorResponse");
        List<ErrorField> fields = ErrorField.decodeAll(in);
        in.requireEnd();
        return new ErrorResponse(fields);
    }

    @Override
    public int encodedLength() {
        return 5 + ErrorField.encodedLength(fields);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        ErrorField.encodeAll(out, fields);
    }
}
