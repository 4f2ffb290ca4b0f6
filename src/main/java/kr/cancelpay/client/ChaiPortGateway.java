package kr.cancelpay.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.function.Function;
import kr.cancelpay.observability.CancelPayMetrics;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * What the refund service asks of ChaiPort, in domain terms: it attaches the access token, repeats
 * a call once with a fresh token after a 401 (a 401 means the call was not processed), and turns
 * failures of a cancel into a {@link CancelOutcome}.
 */
@ApplicationScoped
public class ChaiPortGateway {

    private final ChaiPortClient client;
    private final ChaiPortAccessTokens tokens;
    private final CancelPayMetrics metrics;

    ChaiPortGateway(ChaiPortClient client, ChaiPortAccessTokens tokens, CancelPayMetrics metrics) {
        this.client = client;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** Never fails: every failure is folded into the outcome. */
    public Uni<CancelOutcome> cancel(CancelPaymentRequest request) {
        return withToken(token -> client.cancelPayment(token, request))
                // An answer without a readable cumulative figure cannot be recorded: find out by
                // asking.
                .<CancelOutcome>map(
                        payment ->
                                payment.cancelAmountWon() == null
                                        ? new CancelOutcome.Unknown(
                                                "ChaiPort's answer has no whole cancel_amount")
                                        : new CancelOutcome.Executed(payment))
                .onFailure()
                .recoverWithItem(ChaiPortGateway::cancelFailure);
    }

    /** The payment as ChaiPort knows it now; fails when ChaiPort cannot be asked. */
    public Uni<PgPayment> findPayment(String impUid) {
        return withToken(token -> client.getPayment(token, impUid));
    }

    /**
     * The same lookup for ChaiPort's webhook: rate-limited, with its own breaker (see {@link
     * ChaiPortClient#getPaymentForWebhook}); fails with the limiter's exception beyond the limit.
     */
    public Uni<PgPayment> findPaymentForWebhook(String impUid) {
        return withToken(token -> client.getPaymentForWebhook(token, impUid));
    }

    private <T> Uni<T> withToken(Function<String, Uni<T>> call) {
        return tokens.token()
                .onFailure()
                .transform(TokenUnavailable::new)
                .flatMap(
                        token ->
                                call.apply(token)
                                        .onFailure(ChaiPortException.Unauthorized.class)
                                        .recoverWithUni(
                                                () -> {
                                                    metrics.tokenRefreshed();
                                                    tokens.invalidate(token);
                                                    return tokens.token()
                                                            .onFailure()
                                                            .transform(TokenUnavailable::new)
                                                            .flatMap(fresh -> call.apply(fresh));
                                                }));
    }

    static CancelOutcome cancelFailure(Throwable failure) {
        if (failure instanceof ChaiPortException.Rejected rejected) {
            return new CancelOutcome.Rejected(rejected.pgCode(), rejected.pgMessage());
        }
        if (failure instanceof ChaiPortException.ClientError clientError
                && refusedUnread(clientError.status())) {
            return new CancelOutcome.Rejected(
                    -1, "ChaiPort refused the request with HTTP " + clientError.status());
        }
        if (failure instanceof TokenUnavailable) {
            return new CancelOutcome.NotSent(
                    "no ChaiPort access token: " + describe(failure.getCause()));
        }
        if (failure instanceof ChaiPortException.Unauthorized) {
            return new CancelOutcome.NotSent("ChaiPort refused a freshly issued access token");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new CancelOutcome.NotSent("ChaiPort circuit breaker is open");
        }
        if (causedByConnectionFailure(failure)) {
            return new CancelOutcome.NotSent("cannot connect to ChaiPort");
        }
        return new CancelOutcome.Unknown(describe(failure));
    }

    /**
     * Statuses that refuse a request before it is processed. Others (408, 409, 429, 499, ...) can
     * come from a proxy or WAF after the request was forwarded: those are not proof of anything.
     */
    private static boolean refusedUnread(int status) {
        return status == 400
                || status == 403
                || status == 405
                || status == 411
                || status == 413
                || status == 414
                || status == 415
                || status == 422;
    }

    /** A failure to connect means no byte of the request left this process. */
    private static boolean causedByConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        return failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** Getting a token failed, so the call it was for never left. */
    static final class TokenUnavailable extends RuntimeException {
        TokenUnavailable(Throwable cause) {
            super("ChaiPort access token unavailable", cause, false, false);
        }
    }
}
