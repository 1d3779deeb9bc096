package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.List;

/**
 * Parse (F): prepares a statement. An empty {@code statementName} is the unnamed statement;
 * {@code parameterTypeOids} may name fewer types than there are parameters, and an OID of 0
 * leaves the type to the server.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSE">Parse</a>
 */
public record Parse(String statementName, String query, List<Integer> parameterTypeOids) implements FrontendMessage {
    public static final byte TYPE = 'P';

    public Parse {
        CString.requireValid(statementName, "statementName");
        CString.requireValid(query, "query");
        parameterTypeOids = Message.requireInt16Count(List.copyOf(parameterTypeOids), "parameterTypeOids");
    }

    public static Parse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "Parse");
        String statementName = in.readCString("statement name");
        String query = in.readCString("query string");
        int count = in.readCount16("parameter type count", 4);
        Parse message = new Parse(statementName, query, in.readInt32s(count, "parameter type"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(statementName) + CString.encodedLength(query)
                + 2 + 4 * parameterTypeOids.size();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, statementName);
        CString.write(out, query);
        out.writeShort(parameterTypeOids.size());
        for (int oid : parameterTypeOids) {
            out.writeInt(oid);
        }
    }
}
