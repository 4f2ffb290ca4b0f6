package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/** What the sandbox answers: the HTTP status plus the V1 envelope's fields. */
record Answer(int httpStatus, int code, String message, JsonNode response) {

    static final String UNAUTHORIZED = "Unauthorized";
    static final String BAD_CREDENTIALS = "imp_key, imp_secret 인증에 실패하였습니다.";
    static final String PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다.";

    static Answer ok(JsonNode response) {
        return new Answer(200, 0, null, response);
    }

    /** A business failure: V1 reports those as HTTP 200 with code 1, never as an HTTP error. */
    static Answer rejected(String message) {
        return new Answer(200, 1, message, null);
    }

    static Answer unauthorized(String message) {
        return new Answer(401, -1, message, null);
    }

    static Answer paymentNotFound() {
        return new Answer(404, 1, PAYMENT_NOT_FOUND, null);
    }

    /** A protocol-level error with the reason phrase as message. */
    static Answer httpError(int status) {
        return httpError(status, reasonPhrase(status));
    }

    static Answer httpError(int status, String message) {
        return new Answer(status, -1, message, null);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
