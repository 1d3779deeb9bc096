package io.pgwarden.server.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Heap and file descriptors of this JVM, in which pgwarden runs: what must return to where it
 * was once the clients are gone, whatever pgwarden went through meanwhile.
 *
 * @param heapBytes heap in use after full collections
 * @param fileDescriptors entries of {@code /proc/self/fd}
 */
record ProcessResources(long heapBytes, long fileDescriptors) {

    static ProcessResources measure() {
        // Several rounds: one full collection may leave objects whose finalization frees more.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new ProcessResources(heap, openFileDescriptors());
    }

    static long openFileDescriptors() {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd", e);
        }
    }

    long heapMiB() {
        return heapBytes / (1024 * 1024);
    }

    @Override
    public String toString() {
        return "heap " + heapMiB() + " MiB, " + fileDescriptors + " file descriptors";
    }
}
