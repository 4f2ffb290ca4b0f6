package kr.cancelpay.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/** Strict input against the packaged application. */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class StrictInputIT extends StrictInputTest {}
