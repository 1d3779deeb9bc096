package io.pgwarden.protocol.scan;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Scans the server-to-client message stream in place (see {@link MessageScanner} for the
 * contract) and reports ReadyForQuery, ErrorResponse, ParameterStatus, BackendKeyData,
 * the copy responses and NotificationResponse to a {@link BackendMessageListener}.
 *
 * <p>Only two bodies are read: the status byte of ReadyForQuery, and the fields of
 * ErrorResponse up to its terminator, of which only {@code S}, {@code V} and {@code C} are
 * looked at byte by byte (other field values are skipped with a single search for their
 * NUL). All other bodies are skipped without being read. A missing or malformed field is
 * tolerated: it is reported as {@link ErrorSeverity#UNKNOWN} or {@link PackedSqlState#NONE}.
 *
 * <p>The last ReadyForQuery status can also be polled with {@link #transactionStatus()}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class BackendMessageScanner extends MessageScanner {

    /** ReadyForQuery carries exactly one status byte. */
    private static final int READY_FOR_QUERY_LENGTH = 5;

    private static final int TRACK_READY_FOR_QUERY = 1;
    private static final int TRACK_ERROR_RESPONSE = 2;

    /** Field state: the next byte is a field type, or the terminating NUL. Field types are 1 to 255. */
    private static final int NEXT_FIELD = -1;
    /** Field state: the terminator has been seen; the rest of the body is skipped. */
    private static final int FIELDS_ENDED = -2;

    /** The longest severity we recognise ("ERROR", "FATAL", "PANIC") has five bytes. */
    private static final int SEVERITY_LENGTH = 5;
    private static final long ERROR = fiveBytes("ERROR");
    private static final long FATAL = fiveBytes("FATAL");
    private static final long PANIC = fiveBytes("PANIC");

    private final BackendMessageListener listener;

    private int tracking;
    private byte transactionStatus;

    // ErrorResponse state, carried across buffers.
    private int fieldType;
    /** The first bytes of the current field value, one per byte, first byte highest. */
    private long fieldValue;
    /** Length of the current field value, saturating just above what we compare. */
    private int fieldValueLength;
    private ErrorSeverity localizedSeverity;
    private ErrorSeverity severity;
    private int sqlState;

    /**
     * @param maxMessageLength the largest length field accepted (it counts itself, not the
     *        type byte); larger ones fail the stream
     * @param listener receives the reports; must not throw
     */
    public BackendMessageScanner(int maxMessageLength, BackendMessageListener listener) {
        super(maxMessageLength);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The status byte of the last ReadyForQuery scanned ({@code 'I'}, {@code 'T'} or
     * {@code 'E'}), or 0 if none has been scanned yet.
     */
    public byte transactionStatus() {
        return transactionStatus;
    }

    @Override
    boolean messageStarted(byte type, int length, int messageIndex, int bufferEnd) {
        switch (type) {
            case 'Z':
                if (length != READY_FOR_QUERY_LENGTH) {
                    throw fail("invalid length " + length + " of ReadyForQuery (expected "
                        + READY_FOR_QUERY_LENGTH + ")");
                }
                tracking = TRACK_READY_FOR_QUERY;
                return true;
            case 'E':
                tracking = TRACK_ERROR_RESPONSE;
                fieldType = NEXT_FIELD;
                localizedSeverity = null;
                severity = null;
                sqlState = PackedSqlState.NONE;
                return true;
            case 'S':
                // Whole in this buffer iff messageIndex + 1 + length <= bufferEnd, written
                // so that nothing can overflow.
                listener.parameterStatus(
                    messageIndex >= 0 && length < bufferEnd - messageIndex ? messageIndex : -1);
                return false;
            case 'K':
                listener.backendKeyData();
                return false;
            case 'G':
            case 'H':
            case 'W':
                listener.copyResponse(type);
                return false;
            case 'A':
                listener.notificationResponse();
                return false;
            default:
                return false;
        }
    }

    @Override
    int scanTrackedBody(ByteBuf buffer, int index, int limit) {
        if (tracking == TRACK_READY_FOR_QUERY) {
            final byte status = buffer.getByte(index);
            if (status != 'I' && status != 'T' && status != 'E') {
                throw fail("invalid transaction status " + describeType(status) + " in ReadyForQuery");
            }
            transactionStatus = status;
            return index + 1;
        }
        return scanErrorFields(buffer, index, limit);
    }

    private int scanErrorFields(ByteBuf buffer, int index, int limit) {
        while (index < limit) {
            if (fieldType == FIELDS_ENDED) {
                return limit;
            }
            if (fieldType == NEXT_FIELD) {
                final byte type = buffer.getByte(index++);
                if (type == 0) {
                    fieldType = FIELDS_ENDED;
                } else {
                    // Unsigned, so that no type byte can be mistaken for a state below zero.
                    fieldType = type & 0xFF;
                    fieldValue = 0;
                    fieldValueLength = 0;
                }
            } else if (fieldType == 'S' || fieldType == 'V' || fieldType == 'C') {
                final byte b = buffer.getByte(index++);
                if (b == 0) {
                    fieldEnded();
                    fieldType = NEXT_FIELD;
                } else if (fieldValueLength <= SEVERITY_LENGTH) {
                    fieldValue = fieldValue << 8 | (b & 0xFF);
                    fieldValueLength++;
                }
            } else {
                final int nul = buffer.indexOf(index, limit, (byte) 0);
                if (nul < 0) {
                    return limit;
                }
                fieldType = NEXT_FIELD;
                index = nul + 1;
            }
        }
        return index;
    }

    private void fieldEnded() {
        switch (fieldType) {
            case 'S':
                localizedSeverity = severityOf(fieldValue, fieldValueLength);
                break;
            case 'V':
                severity = severityOf(fieldValue, fieldValueLength);
                break;
            default: // 'C'
                sqlState = fieldValueLength == 5 ? PackedSqlState.packBytes(fieldValue) : PackedSqlState.NONE;
                break;
        }
    }

    @Override
    void messageEnded() {
        if (tracking == TRACK_READY_FOR_QUERY) {
            listener.readyForQuery(transactionStatus);
            return;
        }
        // A field cut off by the end of the message is ignored, like a missing one.
        final ErrorSeverity reported = severity != null ? severity
            : localizedSeverity != null ? localizedSeverity : ErrorSeverity.UNKNOWN;
        listener.errorResponse(reported, sqlState);
    }

    private static ErrorSeverity severityOf(long value, int length) {
        if (length != SEVERITY_LENGTH) {
            return ErrorSeverity.UNKNOWN;
        }
        if (value == ERROR) {
            return ErrorSeverity.ERROR;
        }
        if (value == FATAL) {
            return ErrorSeverity.FATAL;
        }
        if (value == PANIC) {
            return ErrorSeverity.PANIC;
        }
        return ErrorSeverity.UNKNOWN;
    }

    private static long fiveBytes(String ascii) {
        long value = 0;
        for (int i = 0; i < ascii.length(); i++) {
            value = value << 8 | ascii.charAt(i);
        }
        return value;
    }
}
