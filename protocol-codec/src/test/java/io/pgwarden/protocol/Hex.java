package io.pgwarden.protocol;

import io.netty.buffer.ByteBufUtil;

/** Hex literals for tests: whitespace is ignored, so bytes can be grouped by field. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
    }
}
