package io.pgwarden.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Test-side view of process states, read straight from /proc, independent of the code under test. */
final class ProcFs {

    private ProcFs() {
    }

    /** The state letter of a process (R, S, T, Z, ...), or 'gone' as '-'. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (NoSuchFileException e) {
            return '-';
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Running or sleeping or stopped: anything but gone or a zombie. */
    static boolean isAlive(long pid) {
        char state = state(pid);
        return state != '-' && state != 'Z' && state != 'X';
    }
}
