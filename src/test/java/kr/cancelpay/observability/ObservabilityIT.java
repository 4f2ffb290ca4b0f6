package kr.cancelpay.observability;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/** Probes and meters of the packaged application. */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class ObservabilityIT extends ObservabilityTest {}
