package io.pgwarden.server.runtime;

import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A pgwarden configuration for a {@link LocalCluster}: one backend per node, the cluster's
 * superuser as monitor account, fast probing. The demo and the end-to-end tests run pgwarden
 * with it. The monitor password is not written into the text: it comes from the environment
 * variable {@code PGWARDEN_MONITOR_PASSWORD}, as an operator's secret would.
 *
 * @param readWritePort port of the {@code rw} listener (route primary)
 * @param readOnlyPort port of the {@code ro} listener (route standby)
 * @param adminPort port of the admin API
 * @param stateFile where failover state is persisted
 */
public record ClusterConfig(int readWritePort, int readOnlyPort, int adminPort, Path stateFile) {

    public ClusterConfig {
        Objects.requireNonNull(stateFile, "stateFile");
    }

    /** HOCON text for {@code cluster}; extra lines are appended verbatim (overrides). */
    public String render(LocalCluster cluster, String... extraLines) {
        StringBuilder hocon = new StringBuilder();
        hocon.append("pgwarden {\n");
        hocon.append("  listeners = [\n");
        hocon.append("    { name = \"rw\", host = \"127.0.0.1\", port = ").append(readWritePort)
                .append(", route = \"primary\" }\n");
        hocon.append("    { name = \"ro\", host = \"127.0.0.1\", port = ").append(readOnlyPort)
                .append(", route = \"standby\", fallback-to-primary = true }\n");
        hocon.append("  ]\n");
        hocon.append("  backends = [\n");
        for (LocalNode node : cluster.nodes()) {
            hocon.append("    { name = \"").append(node.name()).append("\", host = \"").append(node.host())
                    .append("\", port = ").append(node.port()).append(" }\n");
        }
        hocon.append("  ]\n");
        hocon.append("  monitor { user = \"").append(cluster.superuser()).append("\" }\n");
        hocon.append("  health { interval = 250ms, timeout = 500ms, failures-before-down = 3 }\n");
        hocon.append("  failover { mode = \"automatic\", state-file = ")
                .append(quoted(stateFile.toAbsolutePath().toString())).append(" }\n");
        hocon.append("  admin { host = \"127.0.0.1\", port = ").append(adminPort).append(" }\n");
        hocon.append("  tls.backend.mode = \"disable\"\n");
        hocon.append("}\n");
        for (String line : extraLines) {
            hocon.append(line).append('\n');
        }
        return hocon.toString();
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
