package io.pgwarden.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and signals the processes of a data directory. Every process it touches is first proven to be the
 * postmaster of that directory (or one of its children), so a recycled PID never gets a signal meant for a
 * server that is gone.
 */
final class ServerProcesses {
    private static final Logger log = LoggerFactory.getLogger(ServerProcesses.class);

    /** Marks a process that does not exist in {@link #state(long)}. */
    static final char GONE = '-';

    private static final Path PROC = Path.of("/proc");
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;

    ServerProcesses(CommandRunner runner) {
        this.runner = runner;
    }

    /** The PID recorded in {@code postmaster.pid}, whether or not that process still lives. */
    static OptionalLong recordedPid(Path dataDir) {
        List<String> lines = pidFileLines(dataDir);
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static List<String> pidFileLines(Path dataDir) {
        try {
            return Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.debug("cannot read postmaster.pid in {}: {}", dataDir, e.toString());
            return List.of();
        }
    }

    /** The running postmaster of {@code dataDir}, if there is one. */
    Optional<ProcessHandle> postmaster(Path dataDir) {
        OptionalLong pid = recordedPid(dataDir);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong()).filter(process -> isPostmasterOf(process.pid(), dataDir));
    }

    /**
     * True when {@code pid} is a live {@code postgres} whose working directory is {@code dataDir}: the postmaster
     * changes into its data directory at startup, and no other process of ours sits there.
     */
    static boolean isPostmasterOf(long pid, Path dataDir) {
        if (!isAlive(pid)) {
            return false;
        }
        Path procDir = PROC.resolve(Long.toString(pid));
        List<String> arguments = commandLine(pid);
        if (arguments.isEmpty() || !Path.of(arguments.get(0)).getFileName().toString().equals("postgres")) {
            return false;
        }
        Path expected = realPath(dataDir);
        try {
            return Files.readSymbolicLink(procDir.resolve("cwd")).equals(expected);
        } catch (AccessDeniedException e) {
            // Another user's process we may not inspect; fall back to its -D argument.
            int flag = arguments.indexOf("-D");
            return flag >= 0 && flag + 1 < arguments.size()
                    && realPath(Path.of(arguments.get(flag + 1))).equals(expected);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            List<String> arguments = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    arguments.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                arguments.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            return arguments;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * True while {@code pid} runs. Unlike {@link ProcessHandle#isAlive()}, a zombie counts as dead: a killed
     * postmaster stays a zombie until init reaps it, yet it holds nothing anymore.
     */
    static boolean isAlive(long pid) {
        char state = state(pid);
        return state != GONE && state != 'Z' && state != 'X' && state != 'x';
    }

    /** The state letter from {@code /proc/<pid>/stat}: R, S, D, T (stopped), Z (zombie) ..., or {@link #GONE}. */
    static char state(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // The state follows the command name in parentheses, which may itself contain ") ".
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
        } catch (NoSuchFileException e) {
            return GONE;
        } catch (IOException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? '?' : GONE;
        }
    }

    /**
     * Waits until every process that still lives is stopped ({@code stopped}) or not ({@code !stopped}): a
     * signal is delivered after {@code kill} returns, and a process running on another CPU stops a moment later.
     */
    static void awaitStopped(List<ProcessHandle> processes, boolean stopped, Duration timeout) {
        Poll.until(timeout, () -> "processes " + processes.stream().map(ProcessHandle::pid).toList() + " to be "
                + (stopped ? "stopped" : "resumed"), () -> processes.stream()
                        .filter(process -> isAlive(process.pid()))
                        .allMatch(process -> (state(process.pid()) == 'T') == stopped)
                        ? Optional.of(true) : Optional.empty());
    }

    /** The postmaster and all its descendants, postmaster first. */
    static List<ProcessHandle> tree(ProcessHandle postmaster) {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(postmaster);
        postmaster.descendants().forEach(processes::add);
        return processes;
    }

    /**
     * SIGKILLs the postmaster and every descendant, then waits until all are gone. The postmaster is stopped
     * (SIGSTOP) first so that it cannot fork a child that would escape the list.
     */
    void killTree(ProcessHandle postmaster, Duration timeout) {
        try {
            signal("STOP", List.of(postmaster));
        } catch (LocalClusterException e) {
            // Without kill(1) a child forked in the next microseconds may escape; it exits by itself once it
            // notices that its postmaster died.
            log.debug("cannot stop postmaster {} before killing it: {}", postmaster.pid(), e.getMessage());
        }
        List<ProcessHandle> processes = tree(postmaster);
        processes.forEach(ProcessHandle::destroyForcibly);
        awaitGone(processes, timeout);
    }

    /** Waits until none of {@code processes} is alive. */
    static void awaitGone(List<ProcessHandle> processes, Duration timeout) {
        Poll.until(timeout, () -> "processes " + alivePids(processes) + " to exit", () ->
                alivePids(processes).isEmpty() ? Optional.of(true) : Optional.empty());
    }

    private static List<Long> alivePids(List<ProcessHandle> processes) {
        return processes.stream().map(ProcessHandle::pid).filter(ServerProcesses::isAlive).toList();
    }

    /**
     * Sends {@code signal} (a name such as STOP, CONT, QUIT) to the processes with {@code kill}; the JDK can
     * send only TERM and KILL. Processes that exited meanwhile are not an error.
     */
    void signal(String signal, List<ProcessHandle> processes) {
        if (processes.isEmpty()) {
            return;
        }
        Path kill = CommandRunner.findProgram("kill").orElseThrow(() -> new LocalClusterException(
                "cannot send SIG" + signal + ": no kill program (procps or util-linux) installed"));
        List<String> command = new ArrayList<>(List.of(kill.toString(), "-s", signal));
        processes.forEach(process -> command.add(Long.toString(process.pid())));
        CommandResult result = runner.run(command, Map.of(), Path.of("/"), SIGNAL_TIMEOUT);
        if (result.succeeded()) {
            return;
        }
        // kill(1) signals every PID it can and complains about each one it cannot: "kill: (123): No such process".
        List<ProcessHandle> complainedAbout = processes.stream()
                .filter(process -> result.output().contains("(" + process.pid() + ")"))
                .toList();
        if (complainedAbout.isEmpty() || complainedAbout.stream().anyMatch(process -> isAlive(process.pid()))) {
            throw new LocalClusterException("cannot send SIG" + signal + ": " + result.describe());
        }
    }

    /**
     * Removes the System V shared memory block of a postmaster that was killed, which nobody else would remove
     * until a server starts again in the same data directory. Only a block that {@code postmaster.pid} names,
     * that this very postmaster created and that no process has attached is removed.
     */
    void removeOrphanedSharedMemory(Path dataDir) {
        List<String> lines = pidFileLines(dataDir);
        OptionalLong pid = recordedPid(dataDir);
        if (pid.isEmpty() || lines.size() < 7 || isAlive(pid.getAsLong())) {
            return;
        }
        String[] keyAndId = lines.get(6).strip().split("\\s+");
        if (keyAndId.length != 2) {
            return;
        }
        try {
            for (String row : Files.readAllLines(PROC.resolve("sysvipc/shm"), StandardCharsets.UTF_8)) {
                String[] columns = row.strip().split("\\s+");
                // key shmid perms size cpid lpid nattch ...
                if (columns.length > 6 && columns[0].equals(keyAndId[0]) && columns[1].equals(keyAndId[1])
                        && columns[4].equals(Long.toString(pid.getAsLong())) && columns[6].equals("0")) {
                    Optional<Path> ipcrm = CommandRunner.findProgram("ipcrm");
                    if (ipcrm.isPresent()) {
                        CommandResult result = runner.run(List.of(ipcrm.get().toString(), "-m", columns[1]), Map.of(),
                                Path.of("/"), SIGNAL_TIMEOUT);
                        log.debug("removed shared memory {} of killed postmaster {}: {}", columns[1],
                                pid.getAsLong(), result.describe());
                    }
                }
            }
        } catch (IOException e) {
            log.debug("cannot inspect System V shared memory: {}", e.toString());
        }
    }
}
