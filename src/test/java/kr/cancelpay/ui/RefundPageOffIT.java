package kr.cancelpay.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import org.junit.jupiter.api.Test;

/**
 * The packaged application with production's default ({@code cancelpay.ui.enabled} unset: off):
 * every path of the refund page answers exactly what an unknown path answers, so the page is
 * neither served nor revealed; the dev listing of sample orders is not even built in.
 */
@QuarkusIntegrationTest
@TestProfile(CancelPayTestProfile.class)
class RefundPageOffIT {

    @Test
    void everyPathOfThePageAnswersLikeAnUnknownPath() {
        Response unknown = given().get("/no-such-page");
        assertEquals(404, unknown.statusCode());
        for (String path : RefundPageFiles.paths()) {
            Response page = given().get(path);
            assertEquals(404, page.statusCode(), path);
            assertEquals(unknown.contentType(), page.contentType(), path);
            assertEquals(unknown.body().asString(), page.body().asString(), path);
            assertEquals(null, page.header("Content-Security-Policy"), path);
        }
        assertEquals(404, given().get("/dev/sample-orders").statusCode());
    }
}
