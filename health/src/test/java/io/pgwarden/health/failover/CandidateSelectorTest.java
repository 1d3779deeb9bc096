package io.pgwarden.health.failover;

import static io.pgwarden.health.probe.Observations.refused;
import static io.pgwarden.health.probe.Observations.standby;
import static io.pgwarden.health.probe.Observations.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.topology.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CandidateSelectorTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private static NodeState standbyAt(String name, int priority, String receive, String replay) {
        return NodeState.initial(new BackendSettings(name, "127.0.0.1", 5000 + name.hashCode() % 100, priority))
                .afterProbe(success(NOW, standby(receive, replay, 1, "127.0.0.1", 5432)), 3);
    }

    private static List<String> names(CandidateSelector.Selection selection) {
        return selection.candidates().stream().map(NodeState::name).toList();
    }

    @Test
    void prefersTheFurthestWalPositionThenTheHigherPriorityThenConfigurationOrder() {
        List<NodeState> nodes = List.of(
                standbyAt("a", 1, "0/5000000", "0/5000000"),
                standbyAt("b", 1, "0/6000000", "0/5000000"),
                standbyAt("c", 9, "0/5000000", "0/5000000"),
                standbyAt("d", 1, "0/5000000", "0/5000000"));
        CandidateSelector.Selection selection = new CandidateSelector(-1)
                .select(nodes, Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(names(selection)).containsExactly("b", "c", "a", "d");
    }

    @Test
    void comparesTheReceivedPositionWhenReplayLagsBehindIt() {
        List<NodeState> nodes = List.of(
                standbyAt("replayed-far", 1, "0/5000000", "0/5000000"),
                standbyAt("received-further", 1, "0/7000000", "0/4000000"));
        assertThat(names(new CandidateSelector(-1).select(nodes, Optional.empty(), Optional.empty(), Optional.empty())))
                .containsExactly("received-further", "replayed-far");
    }

    @Test
    void skipsStandbysLaggingPastMaxLagOnFailover() {
        List<NodeState> nodes = List.of(
                standbyAt("close", 1, "0/5FFFF00", "0/5FFFF00"),
                standbyAt("far", 9, "0/1000000", "0/1000000"));
        CandidateSelector.Selection selection = new CandidateSelector(1024 * 1024)
                .select(nodes, Optional.empty(), Optional.of(Lsn.parse("0/6000000")), Optional.empty());
        assertThat(names(selection)).containsExactly("close");
        assertThat(selection.skipped()).singleElement().satisfies(skip -> {
            assertThat(skip.node()).isEqualTo("far");
            assertThat(skip.reason()).isEqualTo(Reason.LAG_EXCEEDED);
        });
    }

    @Test
    void neverConsidersTheOldPrimaryAndSkipsFencedDownAndPriorityZeroNodes() {
        List<NodeState> nodes = List.of(
                standbyAt("old", 1, "0/9000000", "0/9000000"),
                standbyAt("fenced", 1, "0/5000000", "0/5000000").withFenced(true),
                standbyAt("down", 1, "0/5000000", "0/5000000").afterProbe(refused(NOW), 1),
                standbyAt("zero", 0, "0/5000000", "0/5000000"),
                standbyAt("good", 1, "0/4000000", "0/4000000"));
        CandidateSelector.Selection selection = new CandidateSelector(-1)
                .select(nodes, Optional.of("old"), Optional.empty(), Optional.empty());
        assertThat(names(selection)).containsExactly("good");
        assertThat(selection.skipped()).extracting(CandidateSelector.Skip::node, CandidateSelector.Skip::reason)
                .containsExactly(
                        tuple("fenced", Reason.FENCED),
                        tuple("down", Reason.NOT_HEALTHY),
                        tuple("zero", Reason.PRIORITY_ZERO));
    }

    @Test
    void anOperatorsChoiceIsTheOnlyCandidate() {
        List<NodeState> nodes = List.of(
                standbyAt("a", 1, "0/9000000", "0/9000000"),
                standbyAt("b", 1, "0/5000000", "0/5000000"));
        assertThat(names(new CandidateSelector(-1).select(nodes, Optional.empty(), Optional.empty(), Optional.of("b"))))
                .containsExactly("b");
    }
}
