package kr.cancelpay.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/** The auth matrix against the packaged application, with its production security configuration. */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class AuthorizationMatrixIT extends AuthorizationMatrixTest {}
