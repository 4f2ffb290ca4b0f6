package kr.cancelpay.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/**
 * Which failures of a cancel mean "certainly not sent" (safe to report as 503) and which mean
 * "maybe executed" (must be settled by asking ChaiPort). Getting this wrong refunds twice.
 */
class CancelFailureClassificationTest {

    @Test
    void aBusinessRefusalKeepsChaiPortsCodeAndMessage() {
        CancelOutcome outcome =
                ChaiPortGateway.cancelFailure(new ChaiPortException.Rejected(1, "이미 전액취소된 주문입니다."));
        CancelOutcome.Rejected rejected = assertInstanceOf(CancelOutcome.Rejected.class, outcome);
        assertEquals(1, rejected.pgCode());
        assertEquals("이미 전액취소된 주문입니다.", rejected.pgMessage());
    }

    @Test
    void aRefusedConnectionIsNotSentEvenWhenWrapped() {
        ProcessingException wrapped =
                new ProcessingException(new ConnectException("Connection refused"));
        assertInstanceOf(CancelOutcome.NotSent.class, ChaiPortGateway.cancelFailure(wrapped));
    }

    @Test
    void aRefusalBeforeProcessingIsRejectedButAProxysTimeoutOrThrottleIsUnknown() {
        assertInstanceOf(
                CancelOutcome.Rejected.class,
                ChaiPortGateway.cancelFailure(new ChaiPortException.ClientError(400)));
        assertInstanceOf(
                CancelOutcome.Rejected.class,
                ChaiPortGateway.cancelFailure(new ChaiPortException.ClientError(415)));
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(new ChaiPortException.ClientError(408)));
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(new ChaiPortException.ClientError(429)));
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(new ChaiPortException.ClientError(499)));
    }

    @Test
    void anOpenBreakerIsNotSent() {
        assertInstanceOf(
                CancelOutcome.NotSent.class,
                ChaiPortGateway.cancelFailure(new CircuitBreakerOpenException("open")));
    }

    @Test
    void noTokenMeansNotSent() {
        assertInstanceOf(
                CancelOutcome.NotSent.class,
                ChaiPortGateway.cancelFailure(
                        new ChaiPortGateway.TokenUnavailable(
                                new ChaiPortException.Unauthorized())));
    }

    @Test
    void timeoutsServerErrorsAndBrokenConnectionsAreUnknown() {
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(
                        new org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException(
                                "timeout")));
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(new ProcessingException(new TimeoutException())));
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(new ChaiPortException.ServerError(500)));
        assertInstanceOf(
                CancelOutcome.Unknown.class,
                ChaiPortGateway.cancelFailure(
                        new ProcessingException(new java.io.IOException("Connection reset"))));
    }
}
