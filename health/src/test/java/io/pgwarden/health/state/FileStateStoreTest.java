package io.pgwarden.health.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.health.FakeTimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

    @TempDir
    Path directory;

    private FileStateStore store(Path file) {
        return new FileStateStore(file, new ObjectMapper(), new FakeTimeSource());
    }

    @Test
    void aMissingFileIsTheInitialState() throws IOException {
        assertThat(store(directory.resolve("state.json")).load()).isEqualTo(ClusterState.INITIAL);
    }

    @Test
    void whatIsSavedIsLoadedBackByANewStore() throws IOException {
        Path file = directory.resolve("sub/state.json");
        ClusterState state = new ClusterState(7, Optional.of("pg2"), Set.of("pg1", "pg3"));
        store(file).save(state);

        assertThat(store(file).load()).isEqualTo(state);
        assertThat(Files.readString(file)).contains("\"electedPrimary\" : \"pg2\"");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aSaveReplacesThePreviousStateWhole() throws IOException {
        Path file = directory.resolve("state.json");
        FileStateStore store = store(file);
        store.save(new ClusterState(1, Optional.of("pg1"), Set.of()));
        store.save(new ClusterState(2, Optional.empty(), Set.of("pg1")));
        assertThat(store.load()).isEqualTo(new ClusterState(2, Optional.empty(), Set.of("pg1")));
    }

    @Test
    void anUnreadableFileFailsTheLoadInsteadOfBeingIgnored() throws IOException {
        Path file = directory.resolve("state.json");
        Files.writeString(file, "{\"format\": 1, \"epoch\": ", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store(file).load()).isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");

        Files.writeString(file, "{\"format\": 1, \"epoch\": -3}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store(file).load()).isInstanceOf(IOException.class).hasMessageContaining("epoch");

        Files.writeString(file, "{\"format\": 99, \"epoch\": 3}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store(file).load()).isInstanceOf(IOException.class).hasMessageContaining("format");
    }

    @Test
    void electingANodeUnfencesItAndFencingThePrimaryLeavesNoneElected() {
        ClusterState state = new ClusterState(3, Optional.of("pg1"), Set.of("pg2"));
        ClusterState fenced = state.fence("pg1");
        assertThat(fenced.electedPrimary()).isEmpty();
        assertThat(fenced.epoch()).isEqualTo(3);
        ClusterState elected = fenced.elect("pg2");
        assertThat(elected.epoch()).isEqualTo(4);
        assertThat(elected.electedPrimary()).contains("pg2");
        assertThat(elected.fenced()).containsExactly("pg1");
    }
}
