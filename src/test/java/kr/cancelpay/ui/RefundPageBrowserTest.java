package kr.cancelpay.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.cancelpay.dev.SampleOrders;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.security.Roles;
import kr.cancelpay.service.PendingRefundReconciler;
import kr.cancelpay.testsupport.Browser;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The refund page in a real browser (headless Chromium from Debian's packages) against the running
 * test application, its embedded MongoDB and the ChaiPort sandbox, seeded with dev mode's sample
 * orders: what a newcomer does by clicking, and what each click leaves in the ledger, the stored
 * row and at ChaiPort. After each test: the page called this origin and nothing else.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class RefundPageBrowserTest extends RefundTestBase {

    /** The README's picture, taken after a partial refund; docs/refund-page.png is a copy. */
    static final Path SCREENSHOT = Path.of("target", "screenshots", "refund-page.png");

    private static Browser browser;

    @TestHTTPResource("/")
    URL page;

    @Inject PendingRefundReconciler janitor;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1000, 1500);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void sampleOrdersAndAFreshPage() {
        for (SampleOrders.Sample seeded : SampleOrders.ALL) {
            // Under the imp_uid RefundTestBase's look-ups at ChaiPort expect.
            SampleOrders.Sample sample =
                    new SampleOrders.Sample(
                            "imp_" + seeded.merchantUid(),
                            seeded.merchantUid(),
                            seeded.payMethod(),
                            seeded.amount(),
                            seeded.refunded(),
                            seeded.storedAmount());
            payments().insertOne(sample.guideRow());
            chaiPort.putPayment(sample.atChaiPort());
        }
        browser.forgetRequests();
        browser.open(page.toString());
        WebElement token = browser.element("token");
        if (token.getDomProperty("value").isEmpty()) {
            // Typed once per browser session; sessionStorage keeps it across page loads.
            token.sendKeys(
                    TestJwt.token(Set.of(Roles.REFUNDS_WRITE, Roles.REFUNDS_READ)), Keys.TAB);
        }
    }

    @AfterEach
    void thePageCalledThisOriginOnly() {
        String origin = page.toString().replaceAll("/$", "");
        List<String> elsewhere =
                browser.requests().stream()
                        // Chromium's own pages (chrome://, data:) are not the network.
                        .filter(request -> request.matches("[A-Z]+ (https?|wss?)://.*"))
                        .filter(request -> !request.contains(" " + origin + "/"))
                        .toList();
        assertEquals(List.of(), elsewhere, "requests to another origin than " + origin);
    }

    @Test
    void aPartialRefundOfASampleOrderShowsTheNewBalancesAndTheReceipt() {
        pick("order-1002");
        browser.waitUntilText("cancelable-amount", "35,000원");
        assertEquals("50,000원", browser.text("paid-amount"));
        assertEquals("15,000원", browser.text("cancel-amount"));

        partialRefundOf("5000", "부분환불: 사이즈 교환");
        browser.element("refund-button").click();

        browser.waitForOutcome("success");
        browser.waitUntilText("cancelable-amount", "30,000원");
        assertEquals("20,000원", browser.text("cancel-amount"));
        String detail = browser.text("outcome-detail");
        assertTrue(detail.startsWith("5,000원 환불"), detail);
        String receipt = atChaiPort("order-1002").cancelHistory().get(1).receiptUrl();
        assertEquals(receipt, browser.element("receipt-link").getDomProperty("href"));

        Document refund = onlyApiRefund("order-1002");
        assertEquals("SUCCEEDED", refund.getString("status"));
        assertEquals(5000, number(refund, "amount"));
        assertEquals("부분환불: 사이즈 교환", refund.getString("reason"));
        // The page lists it, and the earlier cancel made at ChaiPort the ledger now holds too.
        WebElement listed =
                browser.driver()
                        .findElement(
                                By.cssSelector(
                                        "#refund-rows tr[data-refund-id='"
                                                + refund.getString("_id")
                                                + "']"));
        assertEquals("SUCCEEDED", listed.getDomAttribute("data-status"));
        assertTrue(listed.getText().contains("5,000원"), listed.getText());
        assertEquals(2, browser.driver().findElements(By.cssSelector("#refund-rows tr")).size());
        Document row = stored("order-1002");
        assertEquals(20000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertEquals(1, collection("idempotency_keys").countDocuments(), "one key for one click");
        List<JsonNode> sent = cancelsSent();
        assertEquals(1, sent.size());
        assertEquals(5000, sent.get(0).path("amount").asLong());
        assertLedgerAgreesWithChaiPort("order-1002");

        browser.screenshot(SCREENSHOT);
    }

    @Test
    void aDoubleClickSendsOneRefund() {
        pick("order-1001");
        browser.waitUntilText("cancelable-amount", "10,000원");
        partialRefundOf("1000", "두 번 누름");

        new Actions(browser.driver()).doubleClick(browser.element("refund-button")).perform();

        browser.waitForOutcome("success");
        browser.waitUntilText("cancelable-amount", "9,000원");
        assertEquals(1, posts("/payments/cancel"), "the page sent one refund request");
        assertEquals(1, chaiPort.executedCancels(), "ChaiPort executed one cancel");
        assertEquals(1, cancelsSent().size());
        assertEquals(1000, number(onlyApiRefund("order-1001"), "amount"));
        assertEquals(1000, number(stored("order-1001"), "cancel_amount"));
        assertTrue(browser.element("refund-button").isEnabled(), "enabled again once settled");
    }

    @Test
    void anAnswerLostOnTheWayToThePageIsAskedForAgainWithTheSameKey() {
        pick("order-1001");
        browser.waitUntilText("cancelable-amount", "10,000원");
        partialRefundOf("3000", "응답이 브라우저에 오지 않음");
        browser.loseFirstAnswerTo("*/payments/cancel");
        try {
            browser.element("refund-button").click();
            browser.waitForOutcome("success");
        } finally {
            browser.stopLosingAnswers();
        }

        assertEquals(2, posts("/payments/cancel"), "the click's request, then its retry");
        assertEquals(1, chaiPort.executedCancels(), "the retry was answered, not paid again");
        assertEquals(3000, number(onlyApiRefund("order-1001"), "amount"));
        assertEquals(1, collection("idempotency_keys").countDocuments(), "one key for the click");
        browser.waitUntilText("cancelable-amount", "7,000원");
    }

    /**
     * Every answer of a click is lost (the page gives up after its retries). Pressing the button
     * again with the same values asks about that refund with its key: it is never paid twice.
     */
    @Test
    void aClickAfterNoAnswerAsksAboutTheSameRefundInsteadOfPayingAgain() {
        pick("order-1001");
        browser.waitUntilText("cancelable-amount", "10,000원");
        partialRefundOf("3000", "응답이 끝내 오지 않음");
        browser.loseAnswersTo("*/payments/cancel", 3);
        try {
            browser.element("refund-button").click();
            browser.waitForOutcome("problem");
        } finally {
            browser.stopLosingAnswers();
        }
        browser.waitUntilText("cancelable-amount", "7,000원");
        assertEquals(1, chaiPort.executedCancels(), "the first attempt was executed");

        browser.element("refund-button").click();
        browser.waitForOutcome("success");

        assertEquals(4, posts("/payments/cancel"), "three lost attempts, then the second click");
        assertEquals(1, chaiPort.executedCancels(), "the second click was answered, not paid");
        assertEquals(3000, number(onlyApiRefund("order-1001"), "amount"));
        assertEquals(1, collection("idempotency_keys").countDocuments(), "one key for both clicks");
        assertEquals(3000, number(stored("order-1001"), "cancel_amount"));
        browser.waitUntilText("cancelable-amount", "7,000원");
    }

    @Test
    void moreThanTheCancelableAmountShowsTheServicesDetail() {
        pick("order-1005");
        browser.waitUntilText("cancelable-amount", "8,000원");
        partialRefundOf("9000", "너무 많이");
        browser.element("refund-button").click();

        browser.waitForOutcome("problem");
        assertEquals("환불요청금액(9000)이 환불가능금액(8000)보다 큽니다.", browser.text("outcome-detail"));
        assertTrue(browser.text("outcome-title").contains("AMOUNT_EXCEEDS_CANCELABLE"));
        assertEquals(List.of(), cancelsSent(), "nothing sent to ChaiPort");
        assertEquals(List.of(), ledger("order-1005"));
        assertEquals("8,000원", browser.text("cancelable-amount"));
        assertTrue(browser.element("refund-button").isEnabled());
    }

    @Test
    void aVirtualAccountRefundCarriesTheAccountToChaiPort() {
        pick("order-1003");
        browser.waitUntilText("cancelable-amount", "30,000원");
        assertTrue(browser.element("account-fields").isDisplayed(), "vbank: account fields");
        Select codeTable = new Select(browser.element("bank-code-system"));
        Select bank = new Select(browser.element("refund-bank"));
        codeTable.selectByValue("kcp");
        bank.selectByVisibleText("KB국민 (BK04)");
        codeTable.selectByValue("inicis");
        assertEquals("04", bank.getFirstSelectedOption().getDomAttribute("value"));

        partialRefundOf("10000", "가상계좌 부분환불");
        browser.element("refund-holder").sendKeys("홍길동");
        browser.element("refund-account").sendKeys("1234-5678-901234");
        browser.element("refund-button").click();

        browser.waitForOutcome("success");
        browser.waitUntilText("cancelable-amount", "20,000원");
        JsonNode sent = cancelsSent().get(0);
        assertEquals("홍길동", sent.path("refund_holder").asText());
        assertEquals("04", sent.path("refund_bank").asText());
        assertEquals("12345678901234", sent.path("refund_account").asText());
        assertEquals(10000, sent.path("amount").asLong());
        Document account = onlyApiRefund("order-1003").get("refund_account", Document.class);
        assertEquals("04", account.getString("bank"));
        assertEquals("1234", account.getString("last4"));
        assertEquals(10000, number(stored("order-1003"), "cancel_amount"));
    }

    @Test
    void aLostAnswerShowsPendingThenTheSettledRefundWithoutAReload() {
        pick("order-1004");
        browser.waitUntilText("cancelable-amount", "12,000원");
        browser.script("window.sameDocument = true;");
        // ChaiPort executes the cancel, and its answer is lost; then it cannot be asked either.
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(Duration.ofSeconds(3)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        browser.element("reason").sendKeys("응답 유실");
        browser.element("refund-button").click();

        browser.waitForOutcome("pending");
        assertFalse(browser.element("refund-button").isEnabled(), "no second refund meanwhile");
        assertEquals("UNKNOWN", onlyApiRefund("order-1004").getString("status"));

        // The janitor settles it by asking ChaiPort; the page, polling, shows it.
        assertEquals(1, janitor.reconcile().await().atMost(Duration.ofSeconds(10)));
        browser.waitForOutcome("success");
        browser.waitUntilText("cancelable-amount", "0원");
        assertEquals(true, browser.script("return window.sameDocument === true;"), "no reload");
        String refundId = onlyApiRefund("order-1004").getString("_id");
        assertEquals(1, posts("/payments/cancel"), "sent once, then polled");
        assertTrue(
                browser.requests().stream()
                        .anyMatch(
                                request ->
                                        request.startsWith("GET ")
                                                && request.endsWith(
                                                        "/payments/order-1004/refunds/"
                                                                + refundId)),
                "polled the refund: " + browser.requests());
        assertEquals("SUCCEEDED", onlyApiRefund("order-1004").getString("status"));
        assertEquals(1, cancelsSent().size(), "settled by asking ChaiPort, never by sending");
        assertEquals(12000, number(stored("order-1004"), "cancel_amount"));
    }

    @Test
    void onAPhoneEveryFieldHasALabelAndTheKeyboardAloneRefunds() {
        browser.driver()
                .executeCdpCommand(
                        "Emulation.setDeviceMetricsOverride",
                        Map.of(
                                "width",
                                390,
                                "height",
                                844,
                                "deviceScaleFactor",
                                2,
                                "mobile",
                                true));
        try {
            browser.open(page.toString());
            browser.waitVisible(By.cssSelector("button.sample"));
            assertEquals(
                    List.of(),
                    browser.script(
                            "return [...document.querySelectorAll('input, select')]"
                                    + ".filter(e => e.labels.length === 0).map(e => e.id);"),
                    "fields without a label");

            Actions keyboard = new Actions(browser.driver());
            browser.element("merchant-uid").click();
            keyboard.sendKeys("order-1001", Keys.ENTER).perform();
            browser.waitUntilText("cancelable-amount", "10,000원");
            assertEquals(
                    true,
                    browser.script(
                            "return document.documentElement.scrollWidth <= window.innerWidth;"),
                    "no sideways scrolling at 390 px");

            List<String> focusOrder = new ArrayList<>();
            for (int i = 0; i < 12 && !focusOrder.contains("refund-button"); i++) {
                keyboard.sendKeys(Keys.TAB).perform();
                String focused =
                        (String)
                                browser.script(
                                        "const e = document.activeElement;"
                                                + " return e.id || e.dataset.merchantUid;");
                focusOrder.add(focused);
                if (focused.equals("reason")) {
                    keyboard.sendKeys("키보드로 환불").perform();
                }
            }
            assertEquals(
                    List.of(
                            "lookup",
                            "order-1001",
                            "order-1002",
                            "order-1003",
                            "order-1004",
                            "order-1005",
                            "scope-full",
                            "reason",
                            "refund-button"),
                    focusOrder);
            assertEquals(
                    "3px",
                    browser.script("return getComputedStyle(document.activeElement).outlineWidth;"),
                    "the focus is visible");

            keyboard.sendKeys(Keys.ENTER).perform();
            browser.waitForOutcome("success");
            assertEquals("키보드로 환불", onlyApiRefund("order-1001").getString("reason"));
            assertEquals(10000, number(stored("order-1001"), "cancel_amount"));
        } finally {
            browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    void theTokenIsKeptForTheTabOnly() {
        String typed = browser.element("token").getDomProperty("value");
        assertFalse(typed.isEmpty());
        assertEquals(typed, browser.script("return sessionStorage.getItem('cancelpay.token');"));
        assertEquals(0L, browser.script("return localStorage.length;"));
    }

    private static void partialRefundOf(String amount, String reason) {
        browser.element("scope-partial").click();
        browser.element("amount").sendKeys(amount);
        browser.element("reason").sendKeys(reason);
    }

    private void pick(String merchantUid) {
        browser.waitVisible(
                        By.cssSelector("button.sample[data-merchant-uid='" + merchantUid + "']"))
                .click();
    }

    /** The requests of the given method and path the page made so far. */
    private long posts(String path) {
        return browser.requests().stream()
                .filter(request -> request.startsWith("POST ") && request.endsWith(path))
                .count();
    }

    /** The order's one refund sent through the service (not ChaiPort's earlier cancels). */
    private Document onlyApiRefund(String merchantUid) {
        List<Document> ours =
                ledger(merchantUid).stream()
                        .filter(entry -> "api".equals(entry.getString("source")))
                        .toList();
        assertEquals(1, ours.size(), "refunds sent through the service: " + ours);
        return ours.get(0);
    }
}
