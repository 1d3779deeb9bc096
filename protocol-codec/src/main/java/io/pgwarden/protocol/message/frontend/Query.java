package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * Query (F): a simple-query-protocol query string, possibly several statements.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-QUERY">Query</a>
 */
public record Query(String query) implements FrontendMessage {
    public static final byte TYPE = 'Q';

    public Query {
        CString.requireValid(query, "query");
    }

    public static Query decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "Query");
        Query message = new Query(in.readCString("query string"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(query);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, query);
    }
}
