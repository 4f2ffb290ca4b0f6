package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One request as it arrived, recorded before any fault or processing.
 *
 * @param endpoint the endpoint, or {@code null} for an unknown path or a wrong method
 * @param authorization the raw {@code Authorization} header, or {@code null}
 * @param body the parsed body (form bodies become a JSON object of strings, bracketed names nested:
 *     {@code extra[requester]=customer} reads as {@code body.get("extra").get("requester")}, as for
 *     a JSON body); {@code null} when there was none or it was malformed
 * @param receivedAt arrival time on the sandbox clock
 */
public record RecordedCall(
        ChaiPortSandbox.Endpoint endpoint,
        String method,
        String path,
        String authorization,
        JsonNode body,
        Instant receivedAt) {}
