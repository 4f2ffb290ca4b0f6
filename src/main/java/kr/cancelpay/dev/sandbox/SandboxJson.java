package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON for the sandbox, on a private ObjectMapper so no application-wide configuration can change
 * the wire format. All field names come from the V1 spec (snake_case).
 */
final class SandboxJson {

    static final ObjectMapper MAPPER =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * {@code name[key]} with one or more non-empty keys; group 1 the name, group 2 the brackets.
     */
    private static final Pattern BRACKETED_NAME =
            Pattern.compile("([^\\[\\]]+)((?:\\[[^\\[\\]]+\\])+)");

    private static final Pattern BRACKET_KEY = Pattern.compile("\\[([^\\[\\]]+)\\]");

    /** Thrown for a body that is neither a JSON object nor a form. */
    static final class MalformedBodyException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedBodyException(String message) {
            super(message);
        }
    }

    private SandboxJson() {}

    /**
     * The request parameters as a JSON object: V1 accepts JSON and form bodies alike, and handling
     * both as one shape keeps the endpoint code format-agnostic. Returns {@code null} for no body.
     */
    static ObjectNode parseBody(byte[] body, String contentType) throws MalformedBodyException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        if (contentType != null
                && contentType.toLowerCase().contains("application/x-www-form-urlencoded")) {
            return parseForm(text);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException("malformed JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MalformedBodyException("the body must be a JSON object");
        }
        return object;
    }

    private static ObjectNode parseForm(String text) throws MalformedBodyException {
        ObjectNode form = MAPPER.createObjectNode();
        try {
            for (String pair : text.trim().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                putFormField(form, name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedBodyException("malformed form body: " + e.getMessage());
        }
        return form;
    }

    /**
     * Bracketed names nest, as V1's own form example {@code extra[requester]=customer} means: it
     * becomes {@code {"extra":{"requester":"customer"}}}, exactly the JSON body's shape, so the
     * cancel code and tests reading {@link RecordedCall#body()} see one shape whatever the format.
     * Names that are not {@code name[key]...} (e.g. {@code a[]}, {@code a[}) stay flat keys. As
     * with repeated plain names, the later field wins, also when a plain value and a nested object
     * meet under one name.
     */
    private static void putFormField(ObjectNode form, String name, String value) {
        Matcher bracketed = BRACKETED_NAME.matcher(name);
        if (!bracketed.matches()) {
            form.put(name, value);
            return;
        }
        List<String> keys = new ArrayList<>();
        keys.add(bracketed.group(1));
        Matcher key = BRACKET_KEY.matcher(bracketed.group(2));
        while (key.find()) {
            keys.add(key.group(1));
        }
        ObjectNode parent = form;
        for (String k : keys.subList(0, keys.size() - 1)) {
            parent = parent.get(k) instanceof ObjectNode child ? child : parent.putObject(k);
        }
        parent.put(keys.get(keys.size() - 1), value);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * The V1 Payment object: the stored record plus the derived fields the API also returns, minus
     * the sandbox's own bookkeeping: {@code tax_free} (payment and cancel_history entries) is not
     * in V1's Payment object, so a client must not be able to come to rely on it here.
     */
    static ObjectNode paymentView(SandboxPayment payment) {
        ObjectNode view = MAPPER.valueToTree(payment);
        view.remove("tax_free");
        view.get("cancel_history").forEach(entry -> ((ObjectNode) entry).remove("tax_free"));
        ArrayNode receiptUrls = view.putArray("cancel_receipt_urls");
        payment.cancelHistory().forEach(c -> receiptUrls.add(c.receiptUrl()));
        view.put("sandbox", true);
        return view;
    }

    static ObjectNode tokenView(TokenAuthority.Token token, long now) {
        return MAPPER.createObjectNode()
                .put("access_token", token.value())
                .put("now", now)
                .put("expired_at", token.expiredAt());
    }

    /** {@code {"code": int, "message": string|null, "response": T|null}}, UTF-8 encoded. */
    static byte[] envelope(int code, String message, JsonNode response) {
        return bytes(envelopeNode(code, message, response));
    }

    static ObjectNode envelopeNode(int code, String message, JsonNode response) {
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.put("code", code);
        envelope.put("message", message);
        envelope.set("response", response);
        return envelope;
    }

    static byte[] bytes(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
