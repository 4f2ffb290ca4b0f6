package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A refund and the payment it belongs to: the answer of {@code POST /payments/cancel} (200 and 202)
 * and of {@code GET /payments/{merchant_uid}/refunds/{refund_id}}, one shape for both, so polling a
 * 202's Location gives what the 200 would have. {@code refund.amount} is this refund's amount; the
 * payment's amounts are in {@code payment}.
 */
@RegisterForReflection
@Schema(
        name = "RefundAnswer",
        description =
                "A refund (refund.amount: this refund's amount) and its payment's figures after it")
public record RefundAnswer(
        @JsonProperty("refund") RefundView refund,
        @JsonProperty("payment") PaymentFigures payment) {}
