package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start, stop, kill, suspend and resume of a single node, through the JUnit extension. */
class NodeControlIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(0).build());

    @Test
    void injectsTheClusterThatTheExtensionRuns(LocalCluster cluster) {
        assertThat(cluster).isSameAs(PG.cluster());
        assertThat(cluster.nodes()).extracting(LocalNode::name).containsExactly("pg1");
        assertThat(cluster.primary().host()).isEqualTo("127.0.0.1");
        assertThat(cluster.primary().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.primary().port()
                + "/postgres");
    }

    @Test
    void sigstopFreezesEveryProcessAndSigcontResumesThem() throws SQLException {
        LocalNode node = PG.cluster().node("pg1");
        List<ProcessHandle> processes = node.processes();

        node.sigstop();
        try {
            assertThat(node.isSuspended()).isTrue();
            assertThat(ProcFs.state(node.pid())).isEqualTo('T');
            // A backend of an earlier test may just be exiting; every process still alive must be stopped.
            assertThat(processes).filteredOn(process -> ProcFs.isAlive(process.pid()))
                    .hasSizeGreaterThan(3)
                    .allSatisfy(process -> assertThat(ProcFs.state(process.pid()))
                            .as("state of %d", process.pid()).isEqualTo('T'));
            Properties properties = new Properties();
            properties.setProperty("user", PG.cluster().superuser());
            properties.setProperty("password", PG.cluster().password());
            properties.setProperty("loginTimeout", "1");
            // The kernel still accepts the TCP connection; the frozen server never answers the startup.
            assertThatThrownBy(() -> DriverManager.getConnection(node.jdbcUrl(), properties).close())
                    .isInstanceOf(SQLException.class);
        } finally {
            node.sigcont();
        }

        assertThat(node.isSuspended()).isFalse();
        assertThat(processes).filteredOn(process -> ProcFs.isAlive(process.pid()))
                .allSatisfy(process -> assertThat(ProcFs.state(process.pid())).isNotEqualTo('T'));
        assertThat(node.queryForString("SELECT 1")).isEqualTo("1");
    }

    @Test
    void stoppedNodeStartsAgainWithItsData() {
        LocalNode node = PG.cluster().node("pg1");
        node.execute("CREATE TABLE survives_stop (id int)");
        node.execute("INSERT INTO survives_stop VALUES (42)");
        long pidBefore = node.pid();

        node.stop(StopMode.FAST);
        assertThat(node.isRunning()).isFalse();
        assertThat(ProcFs.isAlive(pidBefore)).isFalse();
        assertThatThrownBy(node::pid).isInstanceOf(IllegalStateException.class);

        node.start();
        assertThat(node.isRunning()).isTrue();
        assertThat(node.pid()).isNotEqualTo(pidBefore);
        assertThat(node.queryForString("SELECT id FROM survives_stop")).isEqualTo("42");
    }

    @Test
    void killedNodeRestartsThroughCrashRecoveryWithCommittedData() {
        LocalNode node = PG.cluster().node("pg1");
        node.execute("CREATE TABLE survives_kill (id int)");
        node.execute("INSERT INTO survives_kill VALUES (7)");
        List<ProcessHandle> processes = node.processes();

        node.kill9();
        assertThat(processes).allSatisfy(process -> assertThat(ProcFs.isAlive(process.pid())).isFalse());
        assertThatThrownBy(node::kill9).isInstanceOf(IllegalStateException.class);

        // Right away: the killed postmaster may still be an unreaped zombie holding its PID.
        node.start();
        assertThat(node.queryForString("SELECT id FROM survives_kill")).isEqualTo("7");
        assertThat(node.logTail(200)).contains("database system was interrupted");
    }

    @Test
    void adminSqlFailuresNameTheNodeAndTheStatement() {
        LocalNode node = PG.cluster().node("pg1");

        assertThatThrownBy(() -> node.execute("SELECT * FROM no_such_table"))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("pg1")
                .hasMessageContaining("no_such_table")
                .hasMessageContaining("42P01");
    }

    @Test
    void binariesExposeTheClientTools() {
        PgBinaries binaries = PG.cluster().binaries();
        assertThat(PG.cluster().binDir()).isEqualTo(binaries.binDir());
        assertThat(binaries.postgres()).isExecutable();
        assertThat(binaries.pgCtl()).isExecutable();
    }
}
