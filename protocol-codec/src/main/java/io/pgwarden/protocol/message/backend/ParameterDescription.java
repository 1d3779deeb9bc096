package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.List;

/**
 * ParameterDescription (B): the parameter types of a prepared statement, answering Describe.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARAMETERDESCRIPTION">ParameterDescription</a>
 */
public record ParameterDescription(List<Integer> parameterTypeOids) implements BackendMessage {
    public static final byte TYPE = 't';

    public ParameterDescription {
        parameterTypeOids = Message.requireInt16Count(List.copyOf(parameterTypeOids), "parameterTypeOids");
    }

    public static ParameterDescription decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "ParameterDescription");
        List<Integer> oids = in.readInt32s(in.readCount16("parameter count", 4), "parameter type");
        in.requireEnd();
        return new ParameterDescription(oids);
    }

    @Override
    public int encodedLength() {
        return 5 + 2 + 4 * parameterTypeOids.size();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeShort(parameterTypeOids.size());
        for (int oid : parameterTypeOids) {
            out.writeInt(oid);
        }
    }
}
