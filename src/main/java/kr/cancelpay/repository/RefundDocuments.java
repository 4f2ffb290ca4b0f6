package kr.cancelpay.repository;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import kr.cancelpay.model.Refund;
import kr.cancelpay.model.RefundStatus;
import org.bson.Document;

/**
 * {@link Refund} ↔ BSON, by hand: explicit field names, nothing for reflection to discover in a
 * native build, and absent optional fields left out rather than stored as null.
 */
final class RefundDocuments {

    private RefundDocuments() {}

    static Document toDocument(Refund refund) {
        Document document =
                new Document("_id", refund.id())
                        .append(RefundLedger.STATE_KEY, refund.stateKey())
                        .append("version", refund.version())
                        .append("status", refund.status().name())
                        .append("source", refund.source())
                        .append("merchant_uid", refund.merchantUid())
                        .append("imp_uid", refund.impUid())
                        .append("amount", refund.amount())
                        .append("reason", refund.reason());
        putIfPresent(document, "checksum", refund.checksum());
        putIfPresent(document, "cancel_amount_before", refund.cancelAmountBefore());
        putIfPresent(document, "tax_free", refund.taxFree());
        putIfPresent(document, "vat_amount", refund.vatAmount());
        putIfPresent(document, "requester", refund.requester());
        if (refund.account() != null) {
            document.append(
                    "refund_account",
                    new Document("bank", refund.account().bank())
                            .append("holder_initial", refund.account().holderInitial())
                            .append("last4", refund.account().last4()));
        }
        document.append(
                "attempts",
                refund.attempts().stream()
                        .map(
                                attempt -> {
                                    Document value =
                                            new Document("number", attempt.number())
                                                    .append("sent_at", date(attempt.sentAt()));
                                    putIfPresent(value, "outcome", attempt.outcome());
                                    return value;
                                })
                        .toList());
        if (refund.cancellation() != null) {
            Refund.Cancellation cancellation = refund.cancellation();
            Document value = new Document();
            putIfPresent(value, "cancellation_id", cancellation.cancellationId());
            putIfPresent(value, "pg_tid", cancellation.pgTid());
            putIfPresent(value, "receipt_url", cancellation.receiptUrl());
            putIfPresent(value, "cancelled_at", date(cancellation.cancelledAt()));
            putIfPresent(value, "payment_cancel_amount", cancellation.paymentCancelAmount());
            putIfPresent(value, "payment_status", cancellation.paymentStatus());
            document.append("cancellation", value);
        }
        if (refund.failure() != null) {
            Document value = new Document("code", refund.failure().code());
            putIfPresent(value, "pg_code", refund.failure().pgCode());
            putIfPresent(value, "pg_message", refund.failure().pgMessage());
            document.append("failure", value);
        }
        putIfPresent(document, "idempotency_key", refund.idempotencyKey());
        putIfPresent(document, "requested_by", refund.requestedBy());
        document.append("created_at", date(refund.createdAt()))
                .append("updated_at", date(refund.updatedAt()));
        putIfPresent(document, "settled_at", date(refund.settledAt()));
        return document;
    }

    static Refund fromDocument(Document document) {
        Document account = document.get("refund_account", Document.class);
        Document cancellation = document.get("cancellation", Document.class);
        Document failure = document.get("failure", Document.class);
        List<Refund.Attempt> attempts =
                document.getList("attempts", Document.class, List.of()).stream()
                        .map(
                                attempt ->
                                        new Refund.Attempt(
                                                attempt.getInteger("number", 0),
                                                instant(attempt.getDate("sent_at")),
                                                attempt.getString("outcome")))
                        .toList();
        return new Refund(
                document.getString("_id"),
                document.getInteger("version", 1),
                RefundStatus.valueOf(document.getString("status")),
                document.getString("source"),
                document.getString("merchant_uid"),
                document.getString("imp_uid"),
                longValue(document.get("amount")),
                document.getString("reason"),
                optionalLong(document.get("checksum")),
                optionalLong(document.get("cancel_amount_before")),
                optionalLong(document.get("tax_free")),
                optionalLong(document.get("vat_amount")),
                document.getString("requester"),
                account == null
                        ? null
                        : new Refund.MaskedAccount(
                                account.getString("bank"),
                                account.getString("holder_initial"),
                                account.getString("last4")),
                attempts,
                cancellation == null
                        ? null
                        : new Refund.Cancellation(
                                cancellation.getString("cancellation_id"),
                                cancellation.getString("pg_tid"),
                                cancellation.getString("receipt_url"),
                                instant(cancellation.getDate("cancelled_at")),
                                optionalLong(cancellation.get("payment_cancel_amount")),
                                cancellation.getString("payment_status")),
                failure == null
                        ? null
                        : new Refund.Failure(
                                failure.getString("code"),
                                failure.getInteger("pg_code"),
                                failure.getString("pg_message")),
                document.getString("idempotency_key"),
                document.getString("requested_by"),
                instant(document.getDate("created_at")),
                instant(document.getDate("updated_at")),
                instant(document.getDate("settled_at")));
    }

    private static void putIfPresent(Document document, String field, Object value) {
        if (value != null) {
            document.append(field, value);
        }
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static long longValue(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }

    private static Long optionalLong(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }
}
