package kr.cancelpay.service;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/**
 * The ChaiPort failure paths against the packaged application. Breakers cannot be reset from this
 * JVM, so the profile for this class raises their request-volume threshold out of reach (the
 * breakers themselves are proved by the in-process PgFailureTest and
 * CancelFailureClassificationTest).
 */
@QuarkusIntegrationTest
@TestProfile(PgFailureIT.BreakersOutOfReach.class)
class PgFailureIT extends PgFailureTest {

    public static class BreakersOutOfReach extends CancelPayTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            java.util.Map<String, String> overrides =
                    new java.util.HashMap<>(super.getConfigOverrides());
            for (String method : new String[] {"cancelPayment", "getPayment", "requestToken"}) {
                overrides.put(
                        "quarkus.fault-tolerance.\"kr.cancelpay.client.ChaiPortClient/"
                                + method
                                + "\".circuit-breaker.request-volume-threshold",
                        "1000");
            }
            return overrides;
        }
    }
}
