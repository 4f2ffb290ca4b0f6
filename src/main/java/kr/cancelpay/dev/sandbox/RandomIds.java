package kr.cancelpay.dev.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers the PG hands out: tokens, PG transaction ids, cancellation ids. */
final class RandomIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {}

    /** 40 hex characters, the shape of a real V1 access token. */
    static String accessToken() {
        return hex(20);
    }

    static String pgTid() {
        return "sandbox_tid_" + hex(10);
    }

    /** 128 random bits: unique for any practical purpose, so cancels never share an id. */
    static String cancellationId() {
        return "sandbox_cancel_" + hex(16);
    }

    private static String hex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
