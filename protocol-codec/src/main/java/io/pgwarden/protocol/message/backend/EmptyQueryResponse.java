package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * EmptyQueryResponse (B): answers an empty query string, in place of CommandComplete.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-EMPTYQUERYRESPONSE">EmptyQueryResponse</a>
 */
public enum EmptyQueryResponse implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'I';

    public static EmptyQueryResponse decode(ByteBuf body) {
        new MessageReader(body, "EmptyQueryResponse").requireEnd();
        return INSTANCE;
    }

    @Override
    public int encodedLength() {
        return 5;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, 5);
    }

    @Override
    public String toString() {
        return "EmptyQueryResponse";
    }
}
