package kr.cancelpay.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import kr.cancelpay.service.RefundCommand;

/**
 * Turns the JSON body of {@code POST /payments/cancel} into a {@link RefundCommand}, or a {@link
 * ValidationFailedException} naming every field that is wrong.
 */
final class CancelRequests {

    static final int MERCHANT_UID_MAX = 40;
    static final int REASON_MAX = 256;
    static final int REFUND_HOLDER_MAX = 16;
    static final int REFUND_BANK_MAX = 4;
    static final int REFUND_ACCOUNT_MAX = 16;
    static final int REQUESTER_MAX = 8;

    /**
     * ChaiPort's {@code extra.requester}: the buyer asked, or the shop's staff did (Naver Pay
     * requires it).
     */
    static final List<String> REQUESTERS = List.of("customer", "admin");

    /** Far above any real payment, low enough that arithmetic in {@code long} cannot overflow. */
    static final BigDecimal AMOUNT_MAX = new BigDecimal("1000000000000000");

    private CancelRequests() {}

    static RefundCommand parse(JsonNode body) {
        List<ValidationFailedException.FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(
                    new ValidationFailedException.FieldError("", "the body must be a JSON object"));
            throw new ValidationFailedException(errors);
        }
        String merchantUid = requiredText(body, "merchant_uid", MERCHANT_UID_MAX, errors);
        Long amount = optionalAmount(body, "cancel_request_amount", errors);
        String reason = requiredText(body, "reason", REASON_MAX, errors);
        String holder = optionalText(body, "refund_holder", REFUND_HOLDER_MAX, errors);
        String bank = optionalText(body, "refund_bank", REFUND_BANK_MAX, errors);
        String account = optionalText(body, "refund_account", REFUND_ACCOUNT_MAX, errors);
        Long taxFree = optionalWon(body, "tax_free", errors);
        Long vatAmount = optionalWon(body, "vat_amount", errors);
        String requester = optionalText(body, "requester", REQUESTER_MAX, errors);
        if (requester != null && !REQUESTERS.contains(requester)) {
            errors.add(
                    new ValidationFailedException.FieldError(
                            "requester", "must be customer or admin"));
        }
        if (amount != null && taxFree != null && taxFree > amount) {
            errors.add(
                    new ValidationFailedException.FieldError(
                            "tax_free", "must not exceed cancel_request_amount"));
        }
        if (amount != null && vatAmount != null && vatAmount > amount) {
            errors.add(
                    new ValidationFailedException.FieldError(
                            "vat_amount", "must not exceed cancel_request_amount"));
        }

        int given = (holder != null ? 1 : 0) + (bank != null ? 1 : 0) + (account != null ? 1 : 0);
        if (given > 0 && given < 3) {
            for (String field : List.of("refund_holder", "refund_bank", "refund_account")) {
                if (!present(body.get(field))) {
                    errors.add(
                            new ValidationFailedException.FieldError(
                                    field,
                                    "refund_holder, refund_bank and refund_account go together: give all three or none"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return new RefundCommand(
                merchantUid,
                amount,
                reason,
                given == 3 ? new RefundCommand.RefundAccount(holder, bank, account) : null,
                taxFree,
                vatAmount,
                requester);
    }

    private static String requiredText(
            JsonNode body,
            String field,
            int max,
            List<ValidationFailedException.FieldError> errors) {
        JsonNode node = body.get(field);
        if (!present(node)) {
            errors.add(new ValidationFailedException.FieldError(field, "is required"));
            return null;
        }
        return text(node, field, max, errors);
    }

    private static String optionalText(
            JsonNode body,
            String field,
            int max,
            List<ValidationFailedException.FieldError> errors) {
        JsonNode node = body.get(field);
        return present(node) ? text(node, field, max, errors) : null;
    }

    private static String text(
            JsonNode node,
            String field,
            int max,
            List<ValidationFailedException.FieldError> errors) {
        if (!node.isTextual()) {
            errors.add(new ValidationFailedException.FieldError(field, "must be a string"));
            return null;
        }
        String value = node.textValue();
        if (value.isBlank()) {
            errors.add(new ValidationFailedException.FieldError(field, "must not be blank"));
            return null;
        }
        if (value.length() > max) {
            errors.add(
                    new ValidationFailedException.FieldError(
                            field, "must be at most " + max + " characters"));
            return null;
        }
        return value;
    }

    private static Long optionalAmount(
            JsonNode body, String field, List<ValidationFailedException.FieldError> errors) {
        Long value = optionalWon(body, field, errors);
        if (value != null && value == 0) {
            errors.add(new ValidationFailedException.FieldError(field, "must be positive"));
            return null;
        }
        return value;
    }

    /** A whole number of won, 0 or more; null when absent. */
    private static Long optionalWon(
            JsonNode body, String field, List<ValidationFailedException.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            errors.add(new ValidationFailedException.FieldError(field, "must be a number (won)"));
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0) {
            errors.add(new ValidationFailedException.FieldError(field, "must not be negative"));
            return null;
        }
        if (value.stripTrailingZeros().scale() > 0) {
            errors.add(
                    new ValidationFailedException.FieldError(
                            field, "must be a whole number of won"));
            return null;
        }
        if (value.compareTo(AMOUNT_MAX) > 0) {
            errors.add(new ValidationFailedException.FieldError(field, "is too large"));
            return null;
        }
        return value.longValueExact();
    }

    /** Absent, null and "" all mean "not given". */
    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !(node.isTextual() && node.textValue().isEmpty());
    }
}
