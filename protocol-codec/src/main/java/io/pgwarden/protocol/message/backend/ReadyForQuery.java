package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * ReadyForQuery (B): the server is ready for a new query cycle, and says whether the session
 * is in a transaction. The status byte is kept as sent, so an unexpected value re-encodes
 * exactly and reads as {@link TransactionStatus#UNKNOWN}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-READYFORQUERY">ReadyForQuery</a>
 */
public record ReadyForQuery(byte status) implements BackendMessage {
    public static final byte TYPE = 'Z';

    public static final ReadyForQuery IDLE = new ReadyForQuery((byte) 'I');
    public static final ReadyForQuery IN_TRANSACTION = new ReadyForQuery((byte) 'T');
    public static final ReadyForQuery FAILED = new ReadyForQuery((byte) 'E');

    /** The transaction status of the session. */
    public enum TransactionStatus {
        /** {@code 'I'}: not in a transaction block. */
        IDLE,
        /** {@code 'T'}: in a transaction block. */
        IN_TRANSACTION,
        /** {@code 'E'}: in a failed transaction block; queries are rejected until it ends. */
        FAILED,
        /** Any other byte, which no PostgreSQL sends. */
        UNKNOWN
    }

    /** The message for a known status; there is none for {@link TransactionStatus#UNKNOWN}. */
    public static ReadyForQuery of(TransactionStatus status) {
        return switch (status) {
            case IDLE -> IDLE;
            case IN_TRANSACTION -> IN_TRANSACTION;
            case FAILED -> FAILED;
            case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN has no status byte");
        };
    }

    public TransactionStatus transactionStatus() {
        return switch (status) {
            case 'I' -> TransactionStatus.IDLE;
            case 'T' -> TransactionStatus.IN_TRANSACTION;
            case 'E' -> TransactionStatus.FAILED;
            default -> TransactionStatus.UNKNOWN;
        };
    }

    public static ReadyForQuery decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "ReadyForQuery");
        ReadyForQuery message = new ReadyForQuery(in.readByte("transaction status"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 6;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, 6);
        out.writeByte(status);
    }

    @Override
    public String toString() {
        return "ReadyForQuery[" + Message.describeType(status) + " " + transactionStatus() + "]";
    }
}
