package kr.cancelpay.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/**
 * Idempotency-Key against the packaged application (the jar, or with -Dnative the native
 * executable).
 */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class IdempotencyKeyIT extends IdempotencyKeyTest {}
