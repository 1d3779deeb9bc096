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
 * NoticeResponse (B): a warning or informational message; it may arrive at any time and does not change the state of the session.
 *
 * <p>Build one with the fields every client relies on, then add optional ones:
 * <pre>{@code
 * NoticeResponse.of(Severity.WARNING, SqlState.WARNING, "primary pg1 is unreachable")
 *         .withDetail("...").withHint("...")
 *         .encode(out);
 * }</pre>
 *
 * <p>Decoding keeps all fields in order, unknown codes included, and tolerates missing ones:
 * see {@link ErrorOrNotice} for the accessors.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NOTICERESPONSE">NoticeResponse</a>
 */
public record NoticeResponse(List<ErrorField> fields) implements BackendMessage, ErrorOrNotice {
    public static final byte TYPE = 'N';

    public NoticeResponse {
        fields = List.copyOf(fields);
    }

    /**
     * A NoticeResponse with severity (both {@code S} and {@code V}), SQLSTATE and message.
     *
     * @param severity WARNING, NOTICE, DEBUG, INFO or LOG
     * @throws IllegalArgumentException if {@code severity} belongs in the other message type
     */
    public static NoticeResponse of(Severity severity, SqlState sqlState, String message) {
        if (severity.isError()) {
            throw new IllegalArgumentException("a NoticeResponse cannot have severity " + severity
                    + ", only WARNING, NOTICE, DEBUG, INFO or LOG");
        }
        return new NoticeResponse(List.of(
                new ErrorField(ErrorField.SEVERITY, severity.name()),
                new ErrorField(ErrorField.SEVERITY_NON_LOCALIZED, severity.name()),
                new ErrorField(ErrorField.CODE, sqlState.code()),
                new ErrorField(ErrorField.MESSAGE, message)));
    }

    /** A copy with the {@code D} (detail) field set. */
    public NoticeResponse withDetail(String detail) {
        return withField(ErrorField.DETAIL, detail);
    }

    /** A copy with the {@code H} (hint) field set. */
    public NoticeResponse withHint(String hint) {
        return withField(ErrorField.HINT, hint);
    }

    /** A copy with a field set: replaces the first field with that code, or appends one. */
    public NoticeResponse withField(byte code, String value) {
        return new NoticeResponse(ErrorField.with(fields, code, value));
    }

    public static NoticeResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "NoticeResponse");
        List<ErrorField> fields = ErrorField.decodeAll(in);
        in.requireEnd();
        return new NoticeResponse(fields);
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
