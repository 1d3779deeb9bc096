package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private static final Path SOCKET_DIR = Path.of("/tmp/pgwarden-root/clusters/c1/pg1");

    @Test
    void nodeSettingsListenOnLoopbackWithTheNodesPortNameAndSocketDirectory() {
        Map<String, String> settings = ServerConfig.nodeSettings("pg2", 54012, Optional.of(SOCKET_DIR),
                ClusterSettings.defaults(), AuthMethod.SCRAM_SHA_256, 15);

        assertThat(settings)
                .containsEntry("listen_addresses", "127.0.0.1")
                .containsEntry("port", "54012")
                .containsEntry("cluster_name", "pg2")
                .containsEntry("unix_socket_directories", SOCKET_DIR.toString())
                .containsEntry("wal_level", "replica")
                .containsEntry("hot_standby", "on")
                .containsEntry("wal_log_hints", "on")
                .containsEntry("wal_keep_size", "512MB")
                .containsEntry("max_connections", "100")
                .containsEntry("password_encryption", "scram-sha-256")
                .containsEntry("fsync", "off");
    }

    @Test
    void durableClustersKeepFsyncOnAndOldServersGetWalKeepSegments() {
        Map<String, String> settings = ServerConfig.nodeSettings("pg1", 5432, Optional.empty(),
                ClusterSettings.builder().durable(true).build(), AuthMethod.MD5, 12);

        assertThat(settings).doesNotContainKey("fsync").doesNotContainKey("wal_keep_size")
                .containsEntry("wal_keep_segments", "32")
                .containsEntry("password_encryption", "md5")
                .containsEntry("unix_socket_directories", "");
    }

    @Test
    void extraSettingsComeLastAndOverrideDefaults() {
        ClusterSettings cluster = ClusterSettings.builder()
                .setting("shared_buffers", "64MB")
                .setting("wal_sender_timeout", "5s")
                .build();

        Map<String, String> settings = ServerConfig.nodeSettings("pg1", 5432, Optional.empty(), cluster,
                AuthMethod.TRUST, 15);

        assertThat(settings).containsEntry("shared_buffers", "64MB");
        assertThat(settings.keySet()).last().isEqualTo("wal_sender_timeout");
    }

    @Test
    void renderedConfQuotesEveryValue() {
        String conf = ServerConfig.renderConf(Map.of("log_line_prefix", "it's \\ here"));

        assertThat(conf).contains("log_line_prefix = 'it''s \\\\ here'\n").startsWith("#");
    }

    @Test
    void hbaAllowsEveryConnectionAndReplicationOverSocketAndLoopbackWithOneMethod() {
        String hba = ServerConfig.renderHba(AuthMethod.MD5);

        assertThat(hba.lines().filter(line -> !line.startsWith("#")))
                .containsExactly(
                        "local   all          all                  md5",
                        "host    all          all   127.0.0.1/32   md5",
                        "local   replication  all                  md5",
                        "host    replication  all   127.0.0.1/32   md5");
    }

    @Test
    void primaryConninfoNamesTheStandbyAsApplicationAndQuotesAwkwardPasswords() {
        String conninfo = ServerConfig.primaryConninfo(54011, "postgres", "it's a \\secret", "pg3");

        assertThat(conninfo).isEqualTo("host=127.0.0.1 port=54011 user=postgres "
                + "password='it\\'s a \\\\secret' application_name=pg3 connect_timeout=5");
    }

    @Test
    void sqlQuotingDoublesQuotes() {
        assertThat(ServerConfig.quoteLiteral("O'Brien")).isEqualTo("'O''Brien'");
        assertThat(ServerConfig.quoteIdentifier("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThatThrownBy(() -> ServerConfig.quoteIdentifier("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void socketPathsLongerThanTheKernelLimitDoNotFit() {
        assertThat(ServerConfig.socketPathFits(SOCKET_DIR)).isTrue();
        // 107 bytes is the limit, "/.s.PGSQL.65535" takes 15 of them.
        assertThat(ServerConfig.socketPathFits(Path.of("/" + "d".repeat(91)))).isTrue();
        assertThat(ServerConfig.socketPathFits(Path.of("/" + "d".repeat(92)))).isFalse();
    }
}
