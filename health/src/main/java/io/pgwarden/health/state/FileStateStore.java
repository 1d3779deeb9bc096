package io.pgwarden.health.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgwarden.health.TimeSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the {@link ClusterState} in a JSON file ({@code pgwarden.failover.state-file}):
 * <pre>{"format": 1, "epoch": 3, "electedPrimary": "pg2", "fenced": ["pg1"], "savedAt": "..."}</pre>
 * A save writes a temporary file in the same directory, forces it to disk, renames it over the
 * old file atomically, then forces the directory so the rename itself survives a power loss. A
 * file that cannot be read makes {@link #load()} fail: starting without knowing which nodes are
 * fenced could route to an old primary.
 */
public final class FileStateStore implements StateStore {

    private static final int FORMAT = 1;

    private final Path file;
    private final ObjectMapper json;
    private final TimeSource time;

    public FileStateStore(Path file, ObjectMapper json, TimeSource time) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.json = Objects.requireNonNull(json, "json");
        this.time = Objects.requireNonNull(time, "time");
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized ClusterState load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return ClusterState.INITIAL;
        }
        try {
            JsonNode root = json.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new IOException("state file " + file + " does not hold a JSON object");
            }
            int format = root.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IOException("state file " + file + " has format " + root.path("format")
                        + ", this version reads format " + FORMAT);
            }
            JsonNode epoch = root.get("epoch");
            if (epoch == null || !epoch.canConvertToLong() || epoch.asLong() < 0) {
                throw new IOException("state file " + file + ": \"epoch\" must be a non-negative integer, not " + epoch);
            }
            JsonNode primary = root.get("electedPrimary");
            Optional<String> electedPrimary = primary == null || primary.isNull()
                    ? Optional.empty() : Optional.of(primary.asText());
            Set<String> fenced = new HashSet<>();
            JsonNode fencedNode = root.path("fenced");
            if (!fencedNode.isMissingNode() && !fencedNode.isArray()) {
                throw new IOException("state file " + file + ": \"fenced\" must be an array");
            }
            fencedNode.forEach(name -> fenced.add(name.asText()));
            return new ClusterState(epoch.asLong(), electedPrimary, fenced);
        } catch (JsonProcessingException e) {
            throw new IOException("state file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public synchronized void save(ClusterState state) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("epoch", state.epoch());
        if (state.electedPrimary().isPresent()) {
            root.put("electedPrimary", state.electedPrimary().get());
        } else {
            root.putNull("electedPrimary");
        }
        ArrayNode fenced = root.putArray("fenced");
        state.fenced().forEach(fenced::add);
        root.put("savedAt", time.now().toString());
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

        Path directory = file.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot atomically replace " + file + ": " + e.getMessage(), e);
        }
        forceDirectory(directory);
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory for fsync; the rename itself was atomic.
        }
    }
}
