package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSettingsTest {

    @TempDir
    Path dir;

    @Test
    void adminPortTakenByAListenerIsReported() {
        assertThat(linesOf("pgwarden.admin.port = 6433"))
                .containsExactly("pgwarden.admin.port = 6433: already used by pgwarden.listeners[1] (127.0.0.1)");
    }

    @Test
    void disabledAdminDoesNotClaimItsPort() {
        AdminSettings admin = Loading.parse("pgwarden.admin { enabled = false, port = 6433 }").admin();
        assertThat(admin.enabled()).isFalse();
    }

    @Test
    void readRequiresTokenNeedsAToken() {
        assertThat(linesOf("pgwarden.admin.read-requires-token = true")).containsExactly(
                "pgwarden.admin.read-requires-token = true: needs pgwarden.admin.token (or the environment variable PGWARDEN_ADMIN_TOKEN)");
        AdminSettings admin = Loading.parse("pgwarden.admin { read-requires-token = true, token = s3cret }").admin();
        assertThat(admin.token()).contains(new Secret("s3cret"));
        assertThat(admin.readRequiresToken()).isTrue();
    }

    @Test
    void httpsNeedsCertificateAndKey() {
        assertThat(linesOf("pgwarden.admin.tls.enabled = true")).containsExactly(
                "pgwarden.admin.tls.cert-file: required when pgwarden.admin.tls.enabled = true",
                "pgwarden.admin.tls.key-file: required when pgwarden.admin.tls.enabled = true");
    }

    @Test
    void httpsWithReadableFilesIsAccepted() throws IOException {
        Path cert = Files.writeString(dir.resolve("admin.crt"), "certificate");
        Path key = Files.writeString(dir.resolve("admin.key"), "key");
        AdminSettings admin = Loading.parse("pgwarden.admin.tls { enabled = true, cert-file = \"" + cert
                + "\", key-file = \"" + key + "\" }").admin();
        assertThat(admin.tls()).isEqualTo(new AdminTlsSettings(true, Optional.of(cert), Optional.of(key)));
    }

    @Test
    void missingCertificateFileIsReportedWithItsPath() throws IOException {
        Path key = Files.writeString(dir.resolve("admin.key"), "key");
        Path absent = dir.resolve("absent.crt");
        assertThat(linesOf("pgwarden.admin.tls { enabled = true, cert-file = \"" + absent + "\", key-file = \"" + key
                + "\" }")).containsExactly("pgwarden.admin.tls.cert-file = \"" + absent + "\": not a readable file");
    }

    @Test
    void tokenOfTheWrongTypeIsReportedWithoutShowingIt() {
        assertThat(linesOf("pgwarden.admin.token { value = hunter2 }"))
                .containsExactly("pgwarden.admin.token = <redacted>: not a string");
    }

    @Test
    void unknownKeyInNestedTlsSuggestsTheKnownOne() {
        assertThat(linesOf("pgwarden.admin.tls.enable = true"))
                .containsExactly("pgwarden.admin.tls.enable: unknown key; did you mean pgwarden.admin.tls.enabled?");
    }
}
