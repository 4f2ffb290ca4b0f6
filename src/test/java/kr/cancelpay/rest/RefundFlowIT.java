package kr.cancelpay.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/**
 * The refund flow against the packaged application (the jar, or with -Dnative the native
 * executable).
 */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class RefundFlowIT extends RefundFlowTest {}
