package kr.cancelpay.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * One profile for every {@code @QuarkusTest}, so the application starts once: embedded MongoDB, the
 * ChaiPort sandbox and a known management port as test resources, and timeouts short enough that
 * failure paths take milliseconds instead of the production seconds (standard fault-tolerance
 * override keys).
 */
public class CancelPayTestProfile implements QuarkusTestProfile {

    public static final int CANCEL_TIMEOUT_MS = 700;
    public static final int STORE_TIMEOUT_MS = 1500;
    public static final int WEBHOOK_BREAKER_DELAY_MS = 3000;

    protected static final String CLIENT =
            "quarkus.fault-tolerance.\"kr.cancelpay.client.ChaiPortClient/";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry(
                        CLIENT + "cancelPayment\".timeout.value",
                        String.valueOf(CANCEL_TIMEOUT_MS)),
                Map.entry(CLIENT + "cancelPayment\".timeout.unit", "millis"),
                Map.entry(CLIENT + "getPayment\".timeout.value", "500"),
                Map.entry(CLIENT + "getPayment\".timeout.unit", "millis"),
                Map.entry(CLIENT + "getPayment\".retry.delay", "20"),
                Map.entry(CLIENT + "getPayment\".retry.jitter", "0"),
                // A test that opens the webhook's breaker on purpose waits for it to close again.
                Map.entry(
                        CLIENT + "getPaymentForWebhook\".circuit-breaker.delay",
                        String.valueOf(WEBHOOK_BREAKER_DELAY_MS)),
                Map.entry(CLIENT + "getPaymentForWebhook\".circuit-breaker.delay-unit", "millis"),
                Map.entry(CLIENT + "requestToken\".timeout.value", "1000"),
                Map.entry(CLIENT + "requestToken\".timeout.unit", "millis"),
                Map.entry(CLIENT + "requestToken\".retry.delay", "20"),
                Map.entry(CLIENT + "requestToken\".retry.jitter", "0"),
                Map.entry("cancelpay.store-timeout", "PT" + STORE_TIMEOUT_MS / 1000.0 + "S"),
                // The janitor runs when a test calls it, and then looks at every pending refund.
                Map.entry("cancelpay.reconcile.older-than", "PT0S"),
                Map.entry("quarkus.mongodb.server-selection-timeout", "1S"),
                Map.entry("quarkus.mongodb.connect-timeout", "1S"),
                Map.entry("quarkus.mongodb.read-timeout", "2S"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(EmbeddedMongoResource.class),
                new TestResourceEntry(ChaiPortSandboxResource.class),
                new TestResourceEntry(TestJwt.class),
                new TestResourceEntry(ManagementInterfaceResource.class));
    }
}
