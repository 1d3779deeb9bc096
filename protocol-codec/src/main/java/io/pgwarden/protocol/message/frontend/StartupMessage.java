package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.ProtocolVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * StartupMessage (F): the first packet of a session (after any SSL or GSS negotiation), with
 * the protocol version and the connection parameters ({@code user}, {@code database}, {@code
 * options}, {@code application_name}, any run-time setting, and {@code _pq_.}-prefixed
 * protocol options).
 *
 * <p>Parameters are kept in wire order, duplicates included, so that a replayed startup packet
 * is byte-for-byte the client's. Lookups follow PostgreSQL, where a later duplicate overrides
 * an earlier one.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE">StartupMessage</a>
 */
public record StartupMessage(ProtocolVersion protocolVersion, List<Parameter> parameters) implements FrontendMessage {
    /** The prefix of protocol options, which a server that does not know them lists in NegotiateProtocolVersion. */
    public static final String PROTOCOL_OPTION_PREFIX = "_pq_.";

    /** One name/value pair of a startup packet. */
    public record Parameter(String name, String value) {
        public Parameter {
            CString.requireValid(name, "name");
            CString.requireValid(value, "value");
            if (name.isEmpty()) {
                // An empty name is the terminator of the parameter list on the wire.
                throw new IllegalArgumentException("parameter name must not be empty");
            }
        }
    }

    public StartupMessage {
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        parameters = List.copyOf(parameters);
    }

    /** A startup message with the given parameters, in the map's iteration order. */
    public static StartupMessage of(ProtocolVersion protocolVersion, Map<String, String> parameters) {
        List<Parameter> list = new ArrayList<>(parameters.size());
        parameters.forEach((name, value) -> list.add(new Parameter(name, value)));
        return new StartupMessage(protocolVersion, list);
    }

    /**
     * Decodes the packet after its length word.
     *
     * @throws ProtocolException with 0A000 (feature not supported) if the major version is not
     *         3, as PostgreSQL answers; with 08P01 if the parameter list is malformed
     */
    public static StartupMessage decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "StartupMessage");
        ProtocolVersion version = ProtocolVersion.fromCode(in.readInt32("protocol version"));
        if (version.major() != 3) {
            throw new ProtocolException(SqlState.FEATURE_NOT_SUPPORTED,
                    "unsupported frontend protocol " + version + ": server supports 3.0 to 3.2");
        }
        List<Parameter> parameters = new ArrayList<>();
        while (true) {
            if (in.remaining() == 0 || body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0) < 0) {
                throw layoutError();
            }
            String name = in.readCString("parameter name");
            if (name.isEmpty()) {
                break;
            }
            if (in.remaining() == 0 || body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0) < 0) {
                throw layoutError();
            }
            parameters.add(new Parameter(name, in.readCString("parameter value")));
        }
        if (in.remaining() != 0) {
            throw layoutError();
        }
        return new StartupMessage(version, parameters);
    }

    private static ProtocolException layoutError() {
        return new ProtocolException("invalid startup packet layout: expected terminator as last byte");
    }

    /** The value of a parameter; the last one wins if the client sent it more than once. */
    public Optional<String> parameter(String name) {
        String value = null;
        for (Parameter parameter : parameters) {
            if (parameter.name().equals(name)) {
                value = parameter.value();
            }
        }
        return Optional.ofNullable(value);
    }

    /** The {@code user} parameter, which PostgreSQL requires. */
    public Optional<String> user() {
        return parameter("user");
    }

    /** The {@code database} parameter; PostgreSQL defaults it to the user name when absent. */
    public Optional<String> database() {
        return parameter("database");
    }

    /** The effective parameters, later duplicates overriding earlier ones, in first-seen order. */
    public Map<String, String> parameterMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            map.put(parameter.name(), parameter.value());
        }
        return map;
    }

    /** The {@code _pq_.} protocol options, which a server answers with NegotiateProtocolVersion if unknown. */
    public List<Parameter> protocolOptions() {
        return parameters.stream().filter(p -> p.name().startsWith(PROTOCOL_OPTION_PREFIX)).toList();
    }

    /**
     * A copy with {@code name} set to {@code value}: the first occurrence is replaced and any
     * later ones dropped, or the parameter is appended if absent.
     */
    public StartupMessage withParameter(String name, String value) {
        Parameter replacement = new Parameter(name, value);
        List<Parameter> list = new ArrayList<>(parameters.size() + 1);
        boolean replaced = false;
        for (Parameter parameter : parameters) {
            if (!parameter.name().equals(name)) {
                list.add(parameter);
            } else if (!replaced) {
                list.add(replacement);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(replacement);
        }
        return new StartupMessage(protocolVersion, list);
    }

    /** A copy without any occurrence of {@code name}. */
    public StartupMessage withoutParameter(String name) {
        return new StartupMessage(protocolVersion,
                parameters.stream().filter(p -> !p.name().equals(name)).toList());
    }

    @Override
    public int encodedLength() {
        int length = 4 + 4 + 1;
        for (Parameter parameter : parameters) {
            length += CString.encodedLength(parameter.name()) + CString.encodedLength(parameter.value());
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(encodedLength());
        out.writeInt(protocolVersion.code());
        for (Parameter parameter : parameters) {
            CString.write(out, parameter.name());
            CString.write(out, parameter.value());
        }
        out.writeByte(0);
    }
}
