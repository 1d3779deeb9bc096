package io.pgwarden.health.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgwarden.config.BackendSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action as {@code /bin/sh -c <command>}. The request arrives as {@code PGWARDEN_*}
 * environment variables and as one JSON object on stdin. Stdout and stderr are captured together,
 * up to {@link #MAX_OUTPUT_BYTES}. At the timeout the command and every process it started are
 * killed, and the action counts as failed.
 */
public final class ShellCommandAction implements FailoverAction {

    private static final Logger log = LoggerFactory.getLogger(ShellCommandAction.class);

    /** Output kept in the event; more is read and dropped so the command never blocks on a full pipe. */
    public static final int MAX_OUTPUT_BYTES = 16 * 1024;

    private final ActionKind kind;
    private final String command;
    private final Duration timeout;
    private final ObjectMapper json;

    public ShellCommandAction(ActionKind kind, String command, Duration timeout, ObjectMapper json) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.command = Objects.requireNonNull(command, "command");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    public String description() {
        return "sh -c '" + command + "'";
    }

    @Override
    public ActionResult run(ActionRequest request) {
        ActionRequest bounded = request.withTimeout(timeout);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command)).redirectErrorStream(true);
        builder.environment().putAll(bounded.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return result(ActionStatus.FAILED, OptionalInt.empty(), "could not start /bin/sh: " + e.getMessage(), start);
        }
        OutputCollector output = new OutputCollector(process.getInputStream());
        Thread reader = new Thread(output, "pgwarden-action-" + kind.configName());
        reader.setDaemon(true);
        reader.start();
        writeStdin(process, bounded);
        try {
            boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                killTree(process);
                reader.join(1000);
                return result(ActionStatus.TIMED_OUT, OptionalInt.empty(),
                        output.text() + "\n[killed after " + timeout.toMillis() + " ms]", start);
            }
            // A child left running in the background (a server started with pg_ctl) may still
            // hold the pipe open: wait for the rest of the output only a moment.
            reader.join(1000);
            int exitCode = process.exitValue();
            return result(exitCode == 0 ? ActionStatus.SUCCEEDED : ActionStatus.FAILED, OptionalInt.of(exitCode),
                    output.text(), start);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return result(ActionStatus.FAILED, OptionalInt.empty(), output.text() + "\n[interrupted]", start);
        }
    }

    private void writeStdin(Process process, ActionRequest request) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(json.writeValueAsBytes(toJson(request)));
            stdin.write('\n');
        } catch (IOException e) {
            // The command does not read stdin and exited or closed it: that is its choice.
            log.debug("{} did not take its stdin: {}", description(), e.getMessage());
        }
    }

    ObjectNode toJson(ActionRequest request) {
        ObjectNode root = json.createObjectNode();
        root.put("action", request.kind().configName());
        root.put("event", request.event());
        root.put("reason", request.reason());
        root.put("epoch", request.epoch());
        root.put("time", request.time().toString());
        root.put("timeoutMs", request.timeout().toMillis());
        request.node().ifPresent(node -> root.set("node", node(node)));
        request.oldPrimary().ifPresent(node -> root.set("oldPrimary", node(node)));
        request.newPrimary().ifPresent(node -> root.set("newPrimary", node(node)));
        ObjectNode details = root.putObject("details");
        request.details().forEach(details::put);
        return root;
    }

    private ObjectNode node(BackendSettings backend) {
        ObjectNode node = json.createObjectNode();
        node.put("name", backend.name());
        node.put("host", backend.host());
        node.put("port", backend.port());
        return node;
    }

    /**
     * Kills the shell and everything below it. The descendants are listed before anything is
     * killed: once the shell dies its children are re-parented and could no longer be found.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private ActionResult result(ActionStatus status, OptionalInt exitCode, String output, long start) {
        return new ActionResult(kind, description(), status, exitCode, output.strip(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Reads a stream to its end, keeping the first {@link #MAX_OUTPUT_BYTES}. */
    private static final class OutputCollector implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        OutputCollector(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        int room = MAX_OUTPUT_BYTES - kept.size();
                        if (read > room) {
                            truncated = true;
                        }
                        kept.write(buffer, 0, Math.max(0, Math.min(room, read)));
                    }
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read is kept.
            }
        }

        synchronized String text() {
            String text = kept.toString(StandardCharsets.UTF_8);
            return truncated ? text + "\n[output truncated at " + MAX_OUTPUT_BYTES + " bytes]" : text;
        }
    }
}
