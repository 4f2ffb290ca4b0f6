package kr.cancelpay.rest;

import java.util.List;

/**
 * The {@code Idempotency-Key} request header: 1–255 printable ASCII characters. The IETF draft
 * makes it a Structured Field String ({@code "8e03..."}, quoted); payment APIs document it bare.
 * Both are accepted and mean the same key.
 */
final class IdempotencyKeyHeader {

    static final String NAME = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {}

    /** The key, or null when the header is absent; a 400 naming the header when it is malformed. */
    static String parse(String header) {
        if (header == null) {
            return null;
        }
        String key =
                header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                        ? unquote(header)
                        : header;
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH || !printableAscii(key)) {
            throw new ValidationFailedException(
                    List.of(
                            new ValidationFailedException.FieldError(
                                    NAME,
                                    "must be 1-"
                                            + MAX_LENGTH
                                            + " printable ASCII characters, bare or as a quoted string")));
        }
        return key;
    }

    /**
     * An sf-string's content: backslash escapes only {@code "} and {@code \}; null if malformed.
     */
    private static String unquote(String quoted) {
        StringBuilder key = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                if (i + 1 >= quoted.length() - 1) {
                    return null;
                }
                char escaped = quoted.charAt(++i);
                if (escaped != '"' && escaped != '\\') {
                    return null;
                }
                key.append(escaped);
            } else if (c == '"') {
                return null;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static boolean printableAscii(String key) {
        return key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }
}
