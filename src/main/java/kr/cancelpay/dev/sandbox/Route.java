package kr.cancelpay.dev.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Maps a method and path onto one of the V1 calls the sandbox serves. */
record Route(Kind kind, List<String> params) {

    enum Kind {
        GET_TOKEN(ChaiPortSandbox.Endpoint.GET_TOKEN),
        CANCEL(ChaiPortSandbox.Endpoint.CANCEL),
        PAYMENT_BY_IMP_UID(ChaiPortSandbox.Endpoint.GET_PAYMENT),
        PAYMENT_BY_MERCHANT_UID(ChaiPortSandbox.Endpoint.GET_PAYMENT),
        NOT_FOUND(null),
        METHOD_NOT_ALLOWED(null);

        final ChaiPortSandbox.Endpoint endpoint;

        Kind(ChaiPortSandbox.Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** {@code null} for requests no endpoint serves (unknown path, wrong method). */
    ChaiPortSandbox.Endpoint endpoint() {
        return kind.endpoint;
    }

    String param(int index) {
        return index < params.size() ? params.get(index) : null;
    }

    static Route resolve(String method, String rawPath) {
        List<String> segments =
                Arrays.stream(rawPath.split("/"))
                        .filter(s -> !s.isEmpty())
                        .map(Route::decodeSegment)
                        .toList();
        boolean get = "GET".equals(method);
        boolean post = "POST".equals(method);

        if (segments.equals(List.of("users", "getToken"))) {
            return post ? new Route(Kind.GET_TOKEN, List.of()) : notAllowed();
        }
        if (segments.isEmpty() || !segments.get(0).equals("payments") || segments.size() < 2) {
            return new Route(Kind.NOT_FOUND, List.of());
        }
        // "cancel" is a reserved word here, not an imp_uid, whatever the method.
        if (segments.size() == 2 && segments.get(1).equals("cancel")) {
            return post ? new Route(Kind.CANCEL, List.of()) : notAllowed();
        }
        if (segments.get(1).equals("find") && (segments.size() == 3 || segments.size() == 4)) {
            return get
                    ? new Route(Kind.PAYMENT_BY_MERCHANT_UID, segments.subList(2, segments.size()))
                    : notAllowed();
        }
        if (segments.size() == 2) {
            return get
                    ? new Route(Kind.PAYMENT_BY_IMP_UID, List.of(segments.get(1)))
                    : notAllowed();
        }
        return new Route(Kind.NOT_FOUND, List.of());
    }

    private static Route notAllowed() {
        return new Route(Kind.METHOD_NOT_ALLOWED, List.of());
    }

    /** Percent-decoding for a path segment ('+' is a literal plus in paths, unlike in forms). */
    private static String decodeSegment(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
