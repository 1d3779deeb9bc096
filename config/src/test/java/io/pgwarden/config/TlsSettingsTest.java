package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void requireWithoutCertificateAndKeyIsReported() {
        assertThat(linesOf("pgwarden.tls.client.mode = require")).containsExactly(
                "pgwarden.tls.client.cert-file: required when pgwarden.tls.client.mode = \"require\"",
                "pgwarden.tls.client.key-file: required when pgwarden.tls.client.mode = \"require\"");
    }

    @Test
    void allowNeedsTheFilesToo() {
        assertThat(linesOf("pgwarden.tls.client { mode = allow, cert-file = /nonexistent/server.crt }")).containsExactly(
                "pgwarden.tls.client.cert-file = \"/nonexistent/server.crt\": not a readable file",
                "pgwarden.tls.client.key-file: required when pgwarden.tls.client.mode = \"allow\"");
    }

    @Test
    void disabledClientTlsIgnoresFilePaths() {
        ClientTlsSettings client = Loading.parse(
                "pgwarden.tls.client { mode = disable, cert-file = /nonexistent/server.crt }").tls().client();
        assertThat(client.mode()).isEqualTo(ClientTlsMode.DISABLE);
        assertThat(client.mode().terminatesTls()).isFalse();
    }

    @Test
    void requireWithReadableFilesIsAccepted() throws IOException {
        Path cert = Files.writeString(dir.resolve("server.crt"), "certificate");
        Path key = Files.writeString(dir.resolve("server.key"), "key");
        TlsSettings tls = Loading.parse("pgwarden.tls.client { mode = require, cert-file = \"" + cert
                + "\", key-file = \"" + key + "\" }").tls();
        assertThat(tls.client()).isEqualTo(new ClientTlsSettings(ClientTlsMode.REQUIRE, Optional.of(cert), Optional.of(key)));
    }

    @Test
    void backendModesFollowLibpqNames() {
        assertThat(Loading.parse("pgwarden.tls.backend.mode = verify-full").tls().backend())
                .isEqualTo(new BackendTlsSettings(BackendTlsMode.VERIFY_FULL, Optional.empty()));
        assertThat(linesOf("pgwarden.tls.backend.mode = verify_full")).containsExactly(
                "pgwarden.tls.backend.mode = \"verify_full\": must be one of disable, prefer, require, verify-full");
    }

    @Test
    void backendCaFileMustBeReadableWhenSet() {
        assertThat(linesOf("pgwarden.tls.backend { mode = verify-full, ca-file = /nonexistent/root.crt }"))
                .containsExactly("pgwarden.tls.backend.ca-file = \"/nonexistent/root.crt\": not a readable file");
    }

    @Test
    void clientModeListsTheAllowedValues() {
        assertThat(linesOf("pgwarden.tls.client.mode = prefer"))
                .containsExactly("pgwarden.tls.client.mode = \"prefer\": must be one of disable, allow, require");
    }
}
