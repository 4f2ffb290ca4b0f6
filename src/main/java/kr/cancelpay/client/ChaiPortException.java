package kr.cancelpay.client;

/**
 * What can go wrong talking to ChaiPort, as the rest of the service needs to tell it apart. Stack
 * traces are suppressed: these are expected outcomes, not bugs, and must never leak the request
 * (which may carry a token) into a log line.
 */
public abstract class ChaiPortException extends RuntimeException {

    protected ChaiPortException(String message) {
        super(message, null, false, false);
    }

    /**
     * HTTP 401: the token is missing, invalid or expired (or, on getToken, the credentials are
     * wrong).
     */
    public static final class Unauthorized extends ChaiPortException {
        public Unauthorized() {
            super("ChaiPort answered 401 Unauthorized");
        }
    }

    /** HTTP 404 on a lookup: ChaiPort does not know that payment. */
    public static final class NotFound extends ChaiPortException {
        public NotFound() {
            super("ChaiPort answered 404 Not Found");
        }
    }

    /** HTTP 5xx: ChaiPort had trouble; for a cancel, whether it executed is unknown. */
    public static final class ServerError extends ChaiPortException {
        public ServerError(int status) {
            super("ChaiPort answered HTTP " + status);
        }
    }

    /**
     * HTTP 200 whose body lacks what it must carry to be acted on ({@code code}, {@code response},
     * an access token): a PG fault like a 5xx. For a cancel it proves nothing either way.
     */
    public static final class IncompleteAnswer extends ChaiPortException {
        public IncompleteAnswer(String what) {
            super("ChaiPort's answer has no " + what);
        }
    }

    /** Any other HTTP 4xx: the request was refused before it was processed. */
    public static final class ClientError extends ChaiPortException {
        private final int status;

        public ClientError(int status) {
            super("ChaiPort answered HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** HTTP 200 with {@code code != 0}: a business refusal; nothing was executed. */
    public static final class Rejected extends ChaiPortException {
        private final int pgCode;
        private final String pgMessage;

        public Rejected(int pgCode, String pgMessage) {
            super("ChaiPort refused with code " + pgCode);
            this.pgCode = pgCode;
            this.pgMessage = pgMessage;
        }

        public int pgCode() {
            return pgCode;
        }

        public String pgMessage() {
            return pgMessage;
        }
    }
}
