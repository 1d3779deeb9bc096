package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.error.Severity;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.CopyData;
import io.pgwarden.protocol.message.CopyDone;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.ProtocolVersion;
import io.pgwarden.protocol.message.backend.AuthenticationCleartextPassword;
import io.pgwarden.protocol.message.backend.AuthenticationGSS;
import io.pgwarden.protocol.message.backend.AuthenticationGSSContinue;
import io.pgwarden.protocol.message.backend.AuthenticationKerberosV5;
import io.pgwarden.protocol.message.backend.AuthenticationMD5Password;
import io.pgwarden.protocol.message.backend.AuthenticationOk;
import io.pgwarden.protocol.message.backend.AuthenticationSASL;
import io.pgwarden.protocol.message.backend.AuthenticationSASLContinue;
import io.pgwarden.protocol.message.backend.AuthenticationSASLFinal;
import io.pgwarden.protocol.message.backend.AuthenticationSSPI;
import io.pgwarden.protocol.message.backend.BackendKeyData;
import io.pgwarden.protocol.message.backend.BindComplete;
import io.pgwarden.protocol.message.backend.CloseComplete;
import io.pgwarden.protocol.message.backend.CommandComplete;
import io.pgwarden.protocol.message.backend.CopyBothResponse;
import io.pgwarden.protocol.message.backend.CopyInResponse;
import io.pgwarden.protocol.message.backend.CopyOutResponse;
import io.pgwarden.protocol.message.backend.DataRow;
import io.pgwarden.protocol.message.backend.EmptyQueryResponse;
import io.pgwarden.protocol.message.backend.ErrorResponse;
import io.pgwarden.protocol.message.backend.FunctionCallResponse;
import io.pgwarden.protocol.message.backend.GSSENCResponse;
import io.pgwarden.protocol.message.backend.NegotiateProtocolVersion;
import io.pgwarden.protocol.message.backend.NoData;
import io.pgwarden.protocol.message.backend.NoticeResponse;
import io.pgwarden.protocol.message.backend.NotificationResponse;
import io.pgwarden.protocol.message.backend.ParameterDescription;
import io.pgwarden.protocol.message.backend.ParameterStatus;
import io.pgwarden.protocol.message.backend.ParseComplete;
import io.pgwarden.protocol.message.backend.PortalSuspended;
import io.pgwarden.protocol.message.backend.ReadyForQuery;
import io.pgwarden.protocol.message.backend.RowDescription;
import io.pgwarden.protocol.message.backend.SSLResponse;
import io.pgwarden.protocol.message.frontend.Bind;
import io.pgwarden.protocol.message.frontend.CancelRequest;
import io.pgwarden.protocol.message.frontend.Close;
import io.pgwarden.protocol.message.frontend.CopyFail;
import io.pgwarden.protocol.message.frontend.Describe;
import io.pgwarden.protocol.message.frontend.Execute;
import io.pgwarden.protocol.message.frontend.Flush;
import io.pgwarden.protocol.message.frontend.FunctionCall;
import io.pgwarden.protocol.message.frontend.GSSENCRequest;
import io.pgwarden.protocol.message.frontend.GSSResponse;
import io.pgwarden.protocol.message.frontend.Parse;
import io.pgwarden.protocol.message.frontend.PasswordMessage;
import io.pgwarden.protocol.message.frontend.Query;
import io.pgwarden.protocol.message.frontend.SASLInitialResponse;
import io.pgwarden.protocol.message.frontend.SASLResponse;
import io.pgwarden.protocol.message.frontend.SSLRequest;
import io.pgwarden.protocol.message.frontend.StartupMessage;
import io.pgwarden.protocol.message.frontend.StatementOrPortal;
import io.pgwarden.protocol.message.frontend.Sync;
import io.pgwarden.protocol.message.frontend.Terminate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message type, built by hand and written out byte by byte from the layouts in the
 * protocol documentation: encoding gives exactly those bytes, and the decoder, in an
 * EmbeddedChannel, turns those bytes back into an equal message.
 */
class MessageRoundTripTest {
    private static final int MAX = 1 << 16;

    private static Bytes key32() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0xab);
        return Bytes.of(key);
    }

    private static final String KEY32_HEX = "ab".repeat(32);

    static Stream<Arguments> frontendMessages() {
        return Stream.of(
                Arguments.of("Bind", new Bind("p1", "s1", List.of((short) 1),
                                Arrays.asList(bytes("00000001"), null), List.of((short) 0, (short) 1)),
                        "42 00000022 703100 733100 0001 0001 0002 00000004 00000001 ffffffff 0002 0000 0001"),
                Arguments.of("Bind (unnamed, no parameters)", new Bind("", "", List.of(), List.of(), List.of()),
                        "42 0000000c 00 00 0000 0000 0000"),
                Arguments.of("Close statement", new Close(StatementOrPortal.STATEMENT, "s1"), "43 00000008 53 733100"),
                Arguments.of("Close portal", new Close(StatementOrPortal.PORTAL, ""), "43 00000006 50 00"),
                Arguments.of("CopyData", new CopyData(Bytes.of((byte) 'a', (byte) 'b', (byte) 'c')), "64 00000007 616263"),
                Arguments.of("CopyDone", CopyDone.INSTANCE, "63 00000004"),
                Arguments.of("CopyFail", new CopyFail("oops"), "66 00000009 6f6f707300"),
                Arguments.of("Describe portal", new Describe(StatementOrPortal.PORTAL, ""), "44 00000006 50 00"),
                Arguments.of("Describe statement", new Describe(StatementOrPortal.STATEMENT, "s1"), "44 00000008 53 733100"),
                Arguments.of("Execute", new Execute("", 0), "45 00000009 00 00000000"),
                Arguments.of("Execute with row limit", new Execute("p1", 3), "45 0000000b 703100 00000003"),
                Arguments.of("Flush", Flush.INSTANCE, "48 00000004"),
                Arguments.of("FunctionCall", new FunctionCall(957, List.of((short) 1),
                                Arrays.asList(bytes("00060000"), null), (short) 1),
                        "46 0000001c 000003bd 0001 0001 0002 00000004 00060000 ffffffff 0001"),
                Arguments.of("Parse", new Parse("s1", "SELECT $1", List.of(23)),
                        "50 00000017 733100 53454c45435420243100 0001 00000017"),
                Arguments.of("PasswordMessage", PasswordMessage.of("md5abc"), "70 0000000b 6d643561626300"),
                Arguments.of("Query", new Query("SELECT 1"), "51 0000000d 53454c454354203100"),
                Arguments.of("Query in LATIN1, not UTF-8", new Query(latin1Query()),
                        "51 00000012 53454c4543542027 636166e9 2700"),
                Arguments.of("Sync", Sync.INSTANCE, "53 00000004"),
                Arguments.of("Terminate", Terminate.INSTANCE, "58 00000004"));
    }

    /** "SELECT 'café'" as a LATIN1 client sends it: é is the single byte e9, not valid UTF-8. */
    private static String latin1Query() {
        return CStringTest.decode(Hex.bytes("53454c4543542027 636166e9 27"));
    }

    static Stream<Arguments> startupPackets() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "alice");
        parameters.put("database", "db");
        return Stream.of(
                Arguments.of("StartupMessage 3.0", StartupMessage.of(ProtocolVersion.V3_0, parameters),
                        "00000020 00030000 7573657200 616c69636500 646174616261736500 646200 00"),
                Arguments.of("StartupMessage 3.2", StartupMessage.of(ProtocolVersion.V3_2, Map.of("user", "bob")),
                        "00000012 00030002 7573657200 626f6200 00"),
                Arguments.of("StartupMessage without parameters", StartupMessage.of(ProtocolVersion.V3_0, Map.of()),
                        "00000009 00030000 00"),
                Arguments.of("SSLRequest", SSLRequest.INSTANCE, "00000008 04d2162f"),
                Arguments.of("GSSENCRequest", GSSENCRequest.INSTANCE, "00000008 04d21630"),
                Arguments.of("CancelRequest 3.0", CancelRequest.of(12345, 0x12345678), "00000010 04d2162e 00003039 12345678"),
                Arguments.of("CancelRequest 3.2", new CancelRequest(12345, key32()),
                        "0000002c 04d2162e 00003039" + KEY32_HEX));
    }

    static Stream<Arguments> backendMessages() {
        return Stream.of(
                Arguments.of("AuthenticationOk", AuthenticationOk.INSTANCE, "52 00000008 00000000"),
                Arguments.of("AuthenticationKerberosV5", AuthenticationKerberosV5.INSTANCE, "52 00000008 00000002"),
                Arguments.of("AuthenticationCleartextPassword", AuthenticationCleartextPassword.INSTANCE,
                        "52 00000008 00000003"),
                Arguments.of("AuthenticationMD5Password", new AuthenticationMD5Password(bytes("01020304")),
                        "52 0000000c 00000005 01020304"),
                Arguments.of("AuthenticationGSS", AuthenticationGSS.INSTANCE, "52 00000008 00000007"),
                Arguments.of("AuthenticationGSSContinue", new AuthenticationGSSContinue(bytes("a1b2")),
                        "52 0000000a 00000008 a1b2"),
                Arguments.of("AuthenticationSSPI", AuthenticationSSPI.INSTANCE, "52 00000008 00000009"),
                Arguments.of("AuthenticationSASL", new AuthenticationSASL(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                        "52 0000002a 0000000a 534352414d2d5348412d3235362d504c555300 534352414d2d5348412d32353600 00"),
                Arguments.of("AuthenticationSASLContinue", new AuthenticationSASLContinue(ascii("r=abc")),
                        "52 0000000d 0000000b 723d616263"),
                Arguments.of("AuthenticationSASLFinal", new AuthenticationSASLFinal(ascii("v=xyz")),
                        "52 0000000d 0000000c 763d78797a"),
                Arguments.of("BackendKeyData 3.0", BackendKeyData.of(12345, 0x12345678), "4b 0000000c 00003039 12345678"),
                Arguments.of("BackendKeyData 3.2", new BackendKeyData(12345, key32()), "4b 00000028 00003039" + KEY32_HEX),
                Arguments.of("BindComplete", BindComplete.INSTANCE, "32 00000004"),
                Arguments.of("CloseComplete", CloseComplete.INSTANCE, "33 00000004"),
                Arguments.of("CommandComplete", new CommandComplete("SELECT 1"), "43 0000000d 53454c454354203100"),
                Arguments.of("CopyData", new CopyData(bytes("31090a")), "64 00000007 31090a"),
                Arguments.of("CopyDone", CopyDone.INSTANCE, "63 00000004"),
                Arguments.of("CopyInResponse", new CopyInResponse((byte) 0, List.of((short) 0, (short) 0)),
                        "47 0000000b 00 0002 0000 0000"),
                Arguments.of("CopyOutResponse", new CopyOutResponse((byte) 1, List.of((short) 1)), "48 00000009 01 0001 0001"),
                Arguments.of("CopyBothResponse", new CopyBothResponse((byte) 0, List.of()), "57 00000007 00 0000"),
                Arguments.of("DataRow", new DataRow(Arrays.asList(bytes("31"), null, Bytes.EMPTY)),
                        "44 00000013 0003 00000001 31 ffffffff 00000000"),
                Arguments.of("EmptyQueryResponse", EmptyQueryResponse.INSTANCE, "49 00000004"),
                Arguments.of("ErrorResponse", ErrorResponse.of(Severity.FATAL, SqlState.ADMIN_SHUTDOWN, "bye"),
                        "45 0000001f 53 464154414c00 56 464154414c00 43 353750303100 4d 62796500 00"),
                Arguments.of("FunctionCallResponse", new FunctionCallResponse(bytes("00000001")),
                        "56 0000000c 00000004 00000001"),
                Arguments.of("FunctionCallResponse NULL", new FunctionCallResponse(null), "56 00000008 ffffffff"),
                Arguments.of("NegotiateProtocolVersion",
                        new NegotiateProtocolVersion(ProtocolVersion.V3_0, List.of("_pq_.foo")),
                        "76 00000015 00030000 00000001 5f70715f2e666f6f00"),
                Arguments.of("NoData", NoData.INSTANCE, "6e 00000004"),
                Arguments.of("NoticeResponse", NoticeResponse.of(Severity.WARNING, SqlState.WARNING, "hm"),
                        "4e 00000022 53 5741524e494e4700 56 5741524e494e4700 43 303130303000 4d 686d00 00"),
                Arguments.of("NotificationResponse", new NotificationResponse(42, "ch", "hi"),
                        "41 0000000e 0000002a 636800 686900"),
                Arguments.of("ParameterDescription", new ParameterDescription(List.of(23, 25)),
                        "74 0000000e 0002 00000017 00000019"),
                Arguments.of("ParameterStatus", new ParameterStatus("TimeZone", "UTC"),
                        "53 00000011 54696d655a6f6e6500 55544300"),
                Arguments.of("ParseComplete", ParseComplete.INSTANCE, "31 00000004"),
                Arguments.of("PortalSuspended", PortalSuspended.INSTANCE, "73 00000004"),
                Arguments.of("ReadyForQuery idle", ReadyForQuery.IDLE, "5a 00000005 49"),
                Arguments.of("ReadyForQuery in transaction", ReadyForQuery.IN_TRANSACTION, "5a 00000005 54"),
                Arguments.of("ReadyForQuery failed", ReadyForQuery.FAILED, "5a 00000005 45"),
                Arguments.of("ReadyForQuery unknown status", new ReadyForQuery((byte) 'X'), "5a 00000005 58"),
                Arguments.of("RowDescription", new RowDescription(List.of(
                                new RowDescription.Field("id", 16384, (short) 1, 23, (short) 4, -1, (short) 0))),
                        "54 0000001b 0001 696400 00004000 0001 00000017 0004 ffffffff 0000"));
    }

    private static Bytes bytes(String hex) {
        return Bytes.of(Hex.bytes(hex));
    }

    private static Bytes ascii(String s) {
        return Bytes.of(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frontendMessages")
    void frontendMessageEncodesToTheDocumentedBytesAndDecodesBack(String name, Message message, String hex) {
        byte[] bytes = Hex.bytes(hex);
        assertEncodesTo(message, bytes);
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(w.write(bytes).messages()).containsExactly(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startupPackets")
    void startupPacketEncodesToTheDocumentedBytesAndDecodesBack(String name, Message message, String hex) {
        byte[] bytes = Hex.bytes(hex);
        assertEncodesTo(message, bytes);
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(w.write(bytes).messages()).containsExactly(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backendMessages")
    void backendMessageEncodesToTheDocumentedBytesAndDecodesBack(String name, Message message, String hex) {
        byte[] bytes = Hex.bytes(hex);
        assertEncodesTo(message, bytes);
        Wire wire = Wire.of(new BackendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(w.write(bytes).messages()).containsExactly(message));
    }

    static Stream<Arguments> encryptionResponses() {
        return Stream.of(
                Arguments.of(SSLResponse.WILLING, "53", (Function<BackendMessageDecoder, Void>) d -> {
                    d.expectSSLResponse();
                    return null;
                }),
                Arguments.of(SSLResponse.UNWILLING, "4e", (Function<BackendMessageDecoder, Void>) d -> {
                    d.expectSSLResponse();
                    return null;
                }),
                Arguments.of(GSSENCResponse.WILLING, "47", (Function<BackendMessageDecoder, Void>) d -> {
                    d.expectGSSENCResponse();
                    return null;
                }),
                Arguments.of(GSSENCResponse.UNWILLING, "4e", (Function<BackendMessageDecoder, Void>) d -> {
                    d.expectGSSENCResponse();
                    return null;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptionResponses")
    void encryptionResponseIsOneByteAndDecodesWhenExpected(
            Message response, String hex, Function<BackendMessageDecoder, Void> expect) {
        assertEncodesTo(response, Hex.bytes(hex));
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        expect.apply(decoder);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> assertThat(w.write(hex).messages()).containsExactly(response));
    }

    /** The four 'p' messages: the decoder yields the raw form, and context picks the meaning. */
    static Stream<Arguments> passwordMessageFamily() {
        return Stream.of(
                Arguments.of("SASLInitialResponse",
                        new SASLInitialResponse("SCRAM-SHA-256", ascii("n,,n=,r=abc")),
                        "70 00000021 534352414d2d5348412d32353600 0000000b 6e2c2c6e3d2c723d616263",
                        (Function<PasswordMessage, Message>) SASLInitialResponse::from),
                Arguments.of("SASLInitialResponse without initial response",
                        new SASLInitialResponse("SCRAM-SHA-256", null),
                        "70 00000016 534352414d2d5348412d32353600 ffffffff",
                        (Function<PasswordMessage, Message>) SASLInitialResponse::from),
                Arguments.of("SASLResponse", new SASLResponse(ascii("c=biws")), "70 0000000a 633d62697773",
                        (Function<PasswordMessage, Message>) SASLResponse::from),
                Arguments.of("GSSResponse", new GSSResponse(bytes("600506")), "70 00000007 600506",
                        (Function<PasswordMessage, Message>) GSSResponse::from),
                Arguments.of("PasswordMessage", PasswordMessage.of("secret"), "70 0000000b 73656372657400",
                        (Function<PasswordMessage, Message>) p -> PasswordMessage.of(p.password())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passwordMessageFamily")
    void passwordMessageFamilyDecodesRawAndReadsInContext(
            String name, Message message, String hex, Function<PasswordMessage, Message> inContext) {
        byte[] bytes = Hex.bytes(hex);
        assertEncodesTo(message, bytes);
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> {
            List<Object> decoded = w.write(bytes).messages();
            assertThat(decoded).singleElement().isInstanceOf(PasswordMessage.class);
            PasswordMessage raw = (PasswordMessage) decoded.get(0);
            assertThat(inContext.apply(raw)).isEqualTo(message);
            assertEncodesTo(raw, bytes);
        });
    }

    @Test
    void everyMessageTypeOfTheCodecHasARoundTripCaseHere() throws Exception {
        Set<Class<?>> covered = Stream.of(frontendMessages(), startupPackets(), backendMessages(),
                        encryptionResponses().map(a -> Arguments.of("", a.get()[0], "")), passwordMessageFamily())
                .flatMap(s -> s)
                .map(arguments -> arguments.get()[1].getClass())
                .collect(Collectors.toSet());
        assertThat(covered).containsAll(messageClasses());
    }

    /** Every class of the codec that implements {@link Message}, found among the compiled classes. */
    private static Set<Class<?>> messageClasses() throws Exception {
        Path classes = Path.of(Message.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path messagePackage = classes.resolve("io/pgwarden/protocol/message");
        try (Stream<Path> files = Files.walk(messagePackage)) {
            Set<Class<?>> found = new HashSet<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name);
                if (Message.class.isAssignableFrom(type) && !type.isInterface() && !type.isAnonymousClass()) {
                    found.add(type);
                }
            }
            assertThat(found).hasSizeGreaterThan(50);
            return found;
        }
    }

    private static void assertEncodesTo(Message message, byte[] expected) {
        assertThat(message.encodedLength()).as("encodedLength of %s", message).isEqualTo(expected.length);
        ByteBuf out = message.encode(io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.prettyHexDump(out))
                    .isEqualTo(ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(expected)));
        } finally {
            out.release();
        }
    }
}
