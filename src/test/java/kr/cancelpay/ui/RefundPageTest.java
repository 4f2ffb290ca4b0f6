package kr.cancelpay.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import kr.cancelpay.rest.RefundPage;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import org.junit.jupiter.api.Test;

/**
 * The refund page switched on ({@code %test.cancelpay.ui.enabled=true}, as in dev mode): every file
 * of the page is served, publicly, under a policy that allows this origin only; the rest of the
 * service is unchanged. Off (production's default) is {@link RefundPageOffIT}.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class RefundPageTest {

    @Test
    void everyFileOfThePageIsServedWithoutATokenUnderTheSameOriginPolicy() {
        List<String> paths = RefundPageFiles.paths();
        assertTrue(paths.contains("/refund-page/page.js"), paths.toString());
        for (String path : paths) {
            given().get(path)
                    .then()
                    .statusCode(200)
                    .header("Content-Security-Policy", RefundPage.CONTENT_SECURITY_POLICY)
                    .header("X-Content-Type-Options", "nosniff");
        }
        given().get("/")
                .then()
                .contentType(startsWith("text/html"))
                .body(containsString("환불하기"))
                .body(containsString("src=\"refund-page/page.js\""));
        given().get("/refund-page/page.js").then().contentType(containsString("javascript"));
        given().get("/refund-page/page.css").then().contentType(startsWith("text/css"));
    }

    @Test
    void anUnknownPathIsStillTheServicesProblem() {
        given().get("/no-such-page")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("NOT_FOUND"));
        given().get("/refund-page/no-such-file")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void theSampleOrdersAreListedForThePage() {
        given().get("/dev/sample-orders")
                .then()
                .statusCode(200)
                .body(
                        "merchant_uid",
                        hasItems("order-1001", "order-1002", "order-1003", "order-1004"))
                .body("find { it.merchant_uid == 'order-1003' }.pay_method", equalTo("vbank"))
                .body("find { it.merchant_uid == 'order-1002' }.amount", equalTo(50000));
    }
}
