package kr.cancelpay.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/** The webhook against the packaged application. */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class ChaiPortWebhookIT extends ChaiPortWebhookTest {}
