package io.pgwarden.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders the files the launcher owns in each data directory: {@value #INCLUDE_FILE} (included at the end of
 * {@code postgresql.conf}, so it wins over initdb's defaults) and {@code pg_hba.conf}; and quotes values for
 * configuration files, connection strings and SQL.
 */
final class ServerConfig {

    static final String INCLUDE_FILE = "pgwarden.conf";
    static final String INCLUDE_LINE = "include '" + INCLUDE_FILE + "'";
    static final String HOST = "127.0.0.1";

    /** Unix socket paths must fit {@code sockaddr_un.sun_path}: 108 bytes with the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    private ServerConfig() {
    }

    /**
     * The settings of one node, in file order.
     *
     * @param nodeName the node's name, also its {@code cluster_name} (shown in process titles)
     * @param port TCP port on {@value #HOST}
     * @param socketDir directory for the Unix socket, empty when its path would be too long
     * @param settings the cluster's settings: durability and extra settings
     * @param authMethod decides {@code password_encryption}
     * @param majorVersion server major version, for settings that were renamed
     */
    static Map<String, String> nodeSettings(String nodeName, int port, Optional<Path> socketDir,
            ClusterSettings settings, AuthMethod authMethod, int majorVersion) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("listen_addresses", HOST);
        values.put("port", Integer.toString(port));
        values.put("unix_socket_directories", socketDir.map(Path::toString).orElse(""));
        values.put("cluster_name", nodeName);
        values.put("max_connections", "100");
        values.put("shared_buffers", "32MB");
        // mmap keeps dynamic shared memory in the data directory; a killed node leaves nothing in /dev/shm.
        values.put("dynamic_shared_memory_type", "mmap");
        values.put("password_encryption", authMethod.passwordEncryption());
        values.put("wal_level", "replica");
        values.put("max_wal_senders", "10");
        values.put("max_replication_slots", "10");
        if (majorVersion >= 13) {
            values.put("wal_keep_size", "512MB");
        } else {
            values.put("wal_keep_segments", "32");
        }
        values.put("hot_standby", "on");
        values.put("hot_standby_feedback", "on");
        // pg_rewind needs hint-bit changes in the WAL (or data checksums) to rewind a failed primary.
        values.put("wal_log_hints", "on");
        values.put("full_page_writes", "on");
        // Fast reaction in tests: standbys report often and retry a lost primary quickly.
        values.put("wal_receiver_status_interval", "1s");
        values.put("wal_retrieve_retry_interval", "500ms");
        if (!settings.durable()) {
            values.put("fsync", "off");
        }
        values.put("logging_collector", "off");
        values.put("log_destination", "stderr");
        values.put("log_line_prefix", "%m [%p] %q%u@%d ");
        values.putAll(settings.settings());
        return values;
    }

    /** {@code name = 'value'} lines, every value quoted. */
    static String renderConf(Map<String, String> settings) {
        return "# Written by the pgwarden local cluster launcher; rewritten on every configuration change.\n"
                + settings.entrySet().stream()
                        .map(e -> e.getKey() + " = " + quoteConfValue(e.getValue()))
                        .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Every connection, replication included, over the socket or loopback TCP, with one method. */
    static String renderHba(AuthMethod authMethod) {
        String method = authMethod.hbaMethod();
        return "# Written by the pgwarden local cluster launcher; rewritten on every authentication change.\n"
                + "# TYPE  DATABASE     USER  ADDRESS        METHOD\n"
                + "local   all          all                  " + method + "\n"
                + "host    all          all   127.0.0.1/32   " + method + "\n"
                + "local   replication  all                  " + method + "\n"
                + "host    replication  all   127.0.0.1/32   " + method + "\n";
    }

    /**
     * The {@code primary_conninfo} of a standby. {@code application_name} is the standby's name, which is what
     * {@code synchronous_standby_names} matches.
     */
    static String primaryConninfo(int primaryPort, String user, String password, String standbyName) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", HOST);
        values.put("port", Integer.toString(primaryPort));
        values.put("user", user);
        values.put("password", password);
        values.put("application_name", standbyName);
        values.put("connect_timeout", "5");
        return conninfo(values);
    }

    /** A libpq keyword/value connection string. */
    static String conninfo(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + quoteConninfoValue(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** Quotes for a configuration file: inside single quotes, backslash and quote are escaped. */
    static String quoteConfValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Quotes a conninfo value when it is empty or holds spaces, quotes or backslashes. */
    static String quoteConninfoValue(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\' || c == '=')) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An SQL string literal (standard_conforming_strings is on since 9.1). */
    static String quoteLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SQL strings cannot contain NUL");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** An SQL identifier, always quoted so any name works. */
    static String quoteIdentifier(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid SQL identifier: '" + name + "'");
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** True when the socket of any port in {@code dir} fits the Unix socket path limit. */
    static boolean socketPathFits(Path dir) {
        return (dir + "/.s.PGSQL.65535").getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }
}
