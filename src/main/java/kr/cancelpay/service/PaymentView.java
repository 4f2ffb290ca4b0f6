package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A stored payment and its refunds, for {@code GET /payments/{merchant_uid}}: the row's figures
 * (ChaiPort's as last synced) and the ledger's refunds of the order, newest first.
 */
@RegisterForReflection
@Schema(name = "PaymentView", description = "A stored payment and its refunds, newest first")
public record PaymentView(
        @JsonProperty("payment") PaymentFigures payment,
        @JsonProperty("refunds") List<RefundView> refunds) {

    static PaymentView of(Document row, List<RefundView> refunds) {
        return new PaymentView(PaymentFigures.of(row), refunds);
    }
}
