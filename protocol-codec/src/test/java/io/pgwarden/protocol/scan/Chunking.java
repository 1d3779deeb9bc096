package io.pgwarden.protocol.scan;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;

/**
 * How a stream of {@code length} bytes is cut into reads: {@code cuts} are the sorted offsets,
 * strictly between 0 and {@code length}, where a new read begins.
 */
record Chunking(int length, int[] cuts) {

    static Chunking whole(int length) {
        return new Chunking(length, new int[0]);
    }

    static Chunking at(int length, int... cuts) {
        final TreeSet<Integer> sorted = new TreeSet<>();
        for (int cut : cuts) {
            if (cut > 0 && cut < length) {
                sorted.add(cut);
            }
        }
        return new Chunking(length, sorted.stream().mapToInt(Integer::intValue).toArray());
    }

    static Chunking oneByte(int length) {
        final int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return new Chunking(length, cuts);
    }

    /** Random reads of 1 to {@code maxRead} bytes. */
    static Chunking random(int length, Random random, int maxRead) {
        final TreeSet<Integer> cuts = new TreeSet<>();
        int offset = 1 + random.nextInt(maxRead);
        while (offset < length) {
            cuts.add(offset);
            offset += 1 + random.nextInt(maxRead);
        }
        return new Chunking(length, cuts.stream().mapToInt(Integer::intValue).toArray());
    }

    int chunkCount() {
        return cuts.length + 1;
    }

    int chunkStart(int chunk) {
        return chunk == 0 ? 0 : cuts[chunk - 1];
    }

    int chunkEnd(int chunk) {
        return chunk == cuts.length ? length : cuts[chunk];
    }

    /** The read that holds the byte at {@code offset}. */
    int chunkOf(int offset) {
        final int found = Arrays.binarySearch(cuts, offset);
        return found >= 0 ? found + 1 : -found - 1;
    }

    @Override
    public String toString() {
        return cuts.length <= 20 ? "cuts " + Arrays.toString(cuts) : cuts.length + 1 + " reads";
    }
}
