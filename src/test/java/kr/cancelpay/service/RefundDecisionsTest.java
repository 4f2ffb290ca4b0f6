package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import kr.cancelpay.client.CancelOutcome;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.client.PgPayment.PgCancel;
import kr.cancelpay.model.Refund;
import kr.cancelpay.model.RefundStatus;
import kr.cancelpay.service.RefundDecisions.Next;
import kr.cancelpay.service.RefundDecisions.Plan;
import kr.cancelpay.service.RefundDecisions.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The refund flow's decisions, as tables: no HTTP, no MongoDB, no clock. */
class RefundDecisionsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);

    // ---- plan --------------------------------------------------------------------------------

    static Stream<Arguments> plans() {
        RefundCommand.RefundAccount account =
                new RefundCommand.RefundAccount("홍길동", "04", "12345678901234");
        return Stream.of(
                // order (amount, cancelAmount, payMethod), requested amount, account, taxFree ->
                // code or amount/checksum
                Arguments.of(
                        "full refund of a fresh order",
                        order(10000L, 0, "card"),
                        null,
                        null,
                        null,
                        "send 10000/10000"),
                Arguments.of(
                        "partial refund",
                        order(10000L, 0, "card"),
                        3000L,
                        null,
                        null,
                        "send 3000/10000"),
                Arguments.of(
                        "after an earlier partial refund",
                        order(10000L, 4000, "card"),
                        null,
                        null,
                        null,
                        "send 6000/6000"),
                Arguments.of(
                        "exactly what is left",
                        order(10000L, 4000, "card"),
                        6000L,
                        null,
                        null,
                        "send 6000/6000"),
                Arguments.of(
                        "one won too many",
                        order(10000L, 4000, "card"),
                        6001L,
                        null,
                        null,
                        "AMOUNT_EXCEEDS_CANCELABLE"),
                Arguments.of(
                        "nothing left",
                        order(10000L, 10000, "card"),
                        null,
                        null,
                        null,
                        "ALREADY_FULLY_REFUNDED"),
                Arguments.of(
                        "vbank without account",
                        order(10000L, 0, "vbank"),
                        1000L,
                        null,
                        null,
                        "REFUND_ACCOUNT_REQUIRED"),
                Arguments.of(
                        "vbank with account",
                        order(10000L, 0, "vbank"),
                        1000L,
                        account,
                        null,
                        "send 1000/10000"),
                Arguments.of(
                        "vbank fully refunded: the account is asked first",
                        order(10000L, 10000, "vbank"),
                        null,
                        null,
                        null,
                        "REFUND_ACCOUNT_REQUIRED"),
                Arguments.of(
                        "unknown pay method is not vbank",
                        order(10000L, 0, null),
                        1000L,
                        null,
                        null,
                        "send 1000/10000"),
                Arguments.of(
                        "row without amount",
                        order(null, 0, "card"),
                        1000L,
                        null,
                        null,
                        "PAYMENT_RECORD_INVALID"),
                Arguments.of(
                        "tax_free within a full refund",
                        order(10000L, 2000, "card"),
                        null,
                        null,
                        8000L,
                        "send 8000/8000"),
                Arguments.of(
                        "tax_free above a full refund",
                        order(10000L, 2000, "card"),
                        null,
                        null,
                        8001L,
                        "VALIDATION_FAILED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plan(
            String name,
            Order order,
            Long amount,
            RefundCommand.RefundAccount account,
            Long taxFree,
            String expected) {
        Plan plan =
                RefundDecisions.plan(
                        order,
                        new RefundCommand(
                                order.merchantUid(), amount, "x", account, taxFree, null, null));
        if (plan instanceof Plan.Send send) {
            assertEquals(expected, "send " + send.amount() + "/" + send.checksum());
            assertEquals(order.cancelAmount(), send.cancelAmountBefore());
        } else {
            assertEquals(expected, ((Plan.Refuse) plan).problem().code());
        }
    }

    // ---- attribute and judge -----------------------------------------------------------------

    static Stream<Arguments> verdicts() {
        Refund sentNow = sent(3000, 0, T0, RefundDecisions.Outcomes.UNKNOWN);
        Refund sentLongAgo = sent(3000, 0, T0.minusSeconds(60), RefundDecisions.Outcomes.UNKNOWN);
        Refund neverAnswered = sent(3000, 0, T0.minusSeconds(60), null);
        Refund refusedOnly = sent(3000, 0, T0, RefundDecisions.Outcomes.REJECTED);
        // Recorded after an earlier refund of 3000 whose answer had no history (the row counts it,
        // not its entry).
        Refund afterEarlier =
                sent(3000, 3000, T0.minusSeconds(60), RefundDecisions.Outcomes.UNKNOWN);
        // Recorded (sent_at) a minute ago, but the token fetch held the send back: its outcome was
        // noted now.
        Refund notedNow =
                sent(3000, 0, T0.minusSeconds(60), null)
                        .withLastOutcome(RefundDecisions.Outcomes.UNKNOWN, T0);
        return Stream.of(
                Arguments.of(
                        "its cancel is in ChaiPort's history",
                        sentNow,
                        pg(3000, cancel("c1", 3000, T0)),
                        Verdict.EXECUTED,
                        "c1"),
                Arguments.of(
                        "only a cancel of another amount: not ours",
                        sentLongAgo,
                        pg(5000, cancel("c9", 5000, T0)),
                        Verdict.NOT_EXECUTED,
                        null),
                Arguments.of(
                        "same amount but long before it was recorded: not ours",
                        sentLongAgo,
                        pg(3000, cancel("c8", 3000, T0.minus(Duration.ofHours(2)))),
                        Verdict.NOT_EXECUTED,
                        null),
                Arguments.of(
                        "nothing yet, sent a moment ago: may still execute",
                        sentNow,
                        pg(0),
                        Verdict.IN_FLIGHT,
                        null),
                Arguments.of(
                        "nothing, sent before the window",
                        sentLongAgo,
                        pg(0),
                        Verdict.NOT_EXECUTED,
                        null),
                Arguments.of(
                        "nothing, a crash left the send unanswered long ago",
                        neverAnswered,
                        pg(0),
                        Verdict.NOT_EXECUTED,
                        null),
                Arguments.of(
                        "refused just now: no send can still execute",
                        refusedOnly,
                        pg(0),
                        Verdict.NOT_EXECUTED,
                        null),
                Arguments.of(
                        "ChaiPort not reachable", sentLongAgo, null, Verdict.UNREACHABLE, null),
                Arguments.of(
                        "answer without figures",
                        sentLongAgo,
                        pgWithoutFigure(),
                        Verdict.UNREACHABLE,
                        null),
                Arguments.of(
                        "history-less answer, figure moved by its amount",
                        sentNow,
                        pg(3000),
                        Verdict.EXECUTED,
                        null),
                Arguments.of(
                        "history-less answer, figure moved by something else",
                        sentLongAgo,
                        pg(1000),
                        Verdict.CONFLICT,
                        null),
                Arguments.of(
                        "a cancel of its amount that ChaiPort's figure does not count as its: an older one",
                        afterEarlier,
                        pg(3000, cancel("c-earlier", 3000, T0)),
                        Verdict.CONFLICT,
                        "c-earlier"),
                Arguments.of(
                        "a history that does not account for the figure (a cancel missing from it)",
                        sentLongAgo,
                        pg(4000, cancel("c9", 1000, T0)),
                        Verdict.CONFLICT,
                        null),
                Arguments.of(
                        "a history entry without an amount",
                        sentLongAgo,
                        pg(1000, new PgCancel("tid", null, T0.getEpochSecond(), "x", "c7", null)),
                        Verdict.CONFLICT,
                        null),
                Arguments.of(
                        "lost answer noted just now, recorded long ago: the note bounds the send",
                        notedNow,
                        pg(0),
                        Verdict.IN_FLIGHT,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void judge(String name, Refund refund, PgPayment pg, Verdict expected, String ours) {
        RefundDecisions.Attribution attribution = RefundDecisions.attribute(refund, Set.of(), pg);
        assertEquals(expected, RefundDecisions.judge(refund, attribution, pg, T0, WINDOW));
        assertEquals(ours, attribution.ours() == null ? null : attribution.ours().cancellationId());
    }

    @Test
    void cancelsAlreadyOnTheRowAreNeitherOursNorForeign() {
        Refund refund = sent(3000, 2000, T0, RefundDecisions.Outcomes.EXECUTED);
        PgPayment pg =
                pg(
                        5000,
                        cancel("old", 2000, T0.minusSeconds(3600)),
                        cancel("console", 1000, T0),
                        cancel("ours", 3000, T0));
        RefundDecisions.Attribution attribution =
                RefundDecisions.attribute(refund, Set.of("old"), pg);
        assertEquals("ours", attribution.ours().cancellationId());
        assertEquals(
                List.of("console"),
                attribution.foreign().stream().map(PgCancel::cancellationId).toList());
        assertEquals(
                List.of("console", "ours"),
                attribution.fresh().stream().map(PgCancel::cancellationId).toList(),
                "in ChaiPort's order");
    }

    @Test
    void aSettledRefundIsFoundByItsCancellationIdNotByAmount() {
        Refund settled =
                sent(3000, 0, T0, RefundDecisions.Outcomes.EXECUTED)
                        .succeeded(
                                new Refund.Cancellation("c2", "tid2", null, T0, 6000L, "paid"), T0);
        PgPayment pg = pg(6000, cancel("c1", 3000, T0), cancel("c2", 3000, T0));
        RefundDecisions.Attribution attribution = RefundDecisions.attribute(settled, Set.of(), pg);
        assertEquals("c2", attribution.ours().cancellationId());
        assertEquals(
                List.of("c1"),
                attribution.foreign().stream().map(PgCancel::cancellationId).toList());
    }

    @Test
    void withoutARefundEveryNewCancelIsForeign() {
        RefundDecisions.Attribution attribution =
                RefundDecisions.attribute(
                        null, Set.of("a"), pg(3000, cancel("a", 1000, T0), cancel("b", 2000, T0)));
        assertNull(attribution.ours());
        assertEquals(
                List.of("b"),
                attribution.foreign().stream().map(PgCancel::cancellationId).toList());
    }

    // ---- after a send, after a look ----------------------------------------------------------

    static Stream<Arguments> afterSend() {
        Refund first = sent(3000, 0, T0, null);
        Refund secondAfterUnknown =
                sent(3000, 0, T0.minusSeconds(60), RefundDecisions.Outcomes.UNKNOWN).resent(T0);
        PgPayment executed = pg(3000, cancel("c1", 3000, T0));
        return Stream.of(
                Arguments.of("executed", first, new CancelOutcome.Executed(executed), "Succeed"),
                Arguments.of(
                        "refused, first send",
                        first,
                        new CancelOutcome.Rejected(1, "no"),
                        "Fail PG_REJECTED"),
                Arguments.of(
                        "never left, first send",
                        first,
                        new CancelOutcome.NotSent("refused"),
                        "Fail PG_UNAVAILABLE"),
                Arguments.of("answer lost", first, new CancelOutcome.Unknown("timeout"), "Ask"),
                Arguments.of(
                        "refused after an unanswered send: the first may have executed",
                        secondAfterUnknown,
                        new CancelOutcome.Rejected(1, "checksum"),
                        "Ask"),
                Arguments.of(
                        "never left after an unanswered send",
                        secondAfterUnknown,
                        new CancelOutcome.NotSent("x"),
                        "Ask"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterSend")
    void afterSend(String name, Refund refund, CancelOutcome outcome, String expected) {
        Refund answered = refund.withLastOutcome(RefundDecisions.Outcomes.of(outcome), T0);
        assertEquals(expected, describe(RefundDecisions.afterSend(answered, outcome)));
    }

    static Stream<Arguments> afterLook() {
        Refund first = sent(3000, 0, T0, RefundDecisions.Outcomes.UNKNOWN);
        Refund second =
                sent(3000, 0, T0.minusSeconds(60), RefundDecisions.Outcomes.UNKNOWN)
                        .resent(T0)
                        .withLastOutcome(RefundDecisions.Outcomes.UNKNOWN, T0);
        CancelOutcome lost = new CancelOutcome.Unknown("timeout");
        CancelOutcome refused = new CancelOutcome.Rejected(1, "checksum");
        CancelOutcome notSent = new CancelOutcome.NotSent("breaker open");
        return Stream.of(
                Arguments.of("lost, executed", first, lost, Verdict.EXECUTED, "Succeed"),
                Arguments.of(
                        "lost, shown not executed: once more",
                        first,
                        lost,
                        Verdict.NOT_EXECUTED,
                        "Resend"),
                Arguments.of(
                        "lost twice, shown not executed: never a third send",
                        second,
                        lost,
                        Verdict.NOT_EXECUTED,
                        "StayUnknown"),
                Arguments.of(
                        "lost, may still execute", first, lost, Verdict.IN_FLIGHT, "StayUnknown"),
                Arguments.of(
                        "lost, ChaiPort unreachable",
                        first,
                        lost,
                        Verdict.UNREACHABLE,
                        "StayUnknown"),
                Arguments.of(
                        "lost, figures in conflict", first, lost, Verdict.CONFLICT, "StayUnknown"),
                Arguments.of(
                        "resend refused, first shown executed",
                        second,
                        refused,
                        Verdict.EXECUTED,
                        "Succeed"),
                Arguments.of(
                        "resend refused, nothing executed",
                        second,
                        refused,
                        Verdict.NOT_EXECUTED,
                        "Fail PG_REJECTED"),
                Arguments.of(
                        "resend refused, first may still execute",
                        second,
                        refused,
                        Verdict.IN_FLIGHT,
                        "StayUnknown"),
                Arguments.of(
                        "resend never left, nothing executed",
                        second,
                        notSent,
                        Verdict.NOT_EXECUTED,
                        "Fail PG_UNAVAILABLE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterLook")
    void afterLook(
            String name, Refund refund, CancelOutcome outcome, Verdict verdict, String expected) {
        assertEquals(expected, describe(RefundDecisions.afterLook(refund, outcome, verdict)));
    }

    // ---- the states --------------------------------------------------------------------------

    @Test
    void statesMoveForwardOnly() {
        for (RefundStatus from : RefundStatus.values()) {
            for (RefundStatus to : RefundStatus.values()) {
                boolean allowed = from.canMoveTo(to);
                boolean expected = !from.isTerminal() && to != RefundStatus.PENDING;
                assertEquals(expected, allowed, from + " -> " + to);
            }
        }
        Refund succeeded =
                sent(1000, 0, T0, null)
                        .succeeded(new Refund.Cancellation("c", null, null, T0, 1000L, "paid"), T0);
        assertThrows(
                IllegalStateException.class,
                () -> succeeded.failed(new Refund.Failure("X", null, null), T0));
        assertThrows(IllegalStateException.class, () -> succeeded.unknown(T0));
        Refund pending = sent(1000, 0, T0, null);
        assertEquals(
                pending.version() + 1,
                pending.unknown(T0).version(),
                "every transition is a new version");
        assertEquals(
                pending.version(),
                pending.withLastOutcome("unknown", T0).version(),
                "an outcome note rides along");
        assertTrue(pending.resent(T0).sends() == 2 && pending.resent(T0).lastSentAt().equals(T0));
        assertFalse(succeeded.isOpen());
    }

    @Test
    void theAccountIsKeptMasked() {
        Refund.MaskedAccount masked = Refund.MaskedAccount.of("04", "홍길동", "12345678901234");
        assertEquals(new Refund.MaskedAccount("04", "홍", "1234"), masked);
        assertTrue(Refund.newId().matches("rf_[A-Za-z0-9_-]{26}"));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String describe(Next next) {
        if (next instanceof Next.Fail fail) {
            return "Fail " + fail.failure().code();
        }
        return next.getClass().getSimpleName();
    }

    private static Order order(Long amount, long cancelAmount, String payMethod) {
        return new Order("order-1", "imp_1", payMethod, amount, cancelAmount, List.of(), null);
    }

    /**
     * A refund recorded at {@code sentAt} and sent once, with that send's outcome (null:
     * unanswered).
     */
    private static Refund sent(
            long amount, long cancelAmountBefore, Instant sentAt, String outcome) {
        Refund.RefundRequestFacts facts =
                new Refund.RefundRequestFacts(
                        "order-1", "imp_1", "x", null, null, null, null, null, "tester");
        Refund pending =
                Refund.pending(
                        Refund.newId(),
                        facts,
                        amount,
                        cancelAmountBefore,
                        10000 - cancelAmountBefore,
                        sentAt);
        return outcome == null ? pending : pending.withLastOutcome(outcome, sentAt);
    }

    private static PgCancel cancel(String id, long amount, Instant at) {
        return new PgCancel(
                "tid-" + id, BigDecimal.valueOf(amount), at.getEpochSecond(), "x", id, null);
    }

    private static PgPayment pg(long cancelAmount, PgCancel... history) {
        return new PgPayment(
                "imp_1",
                "order-1",
                "card",
                BigDecimal.valueOf(10000),
                BigDecimal.valueOf(cancelAmount),
                "KRW",
                "paid",
                null,
                null,
                null,
                List.of(history));
    }

    private static PgPayment pgWithoutFigure() {
        return new PgPayment(
                "imp_1",
                "order-1",
                "card",
                BigDecimal.valueOf(10000),
                null,
                "KRW",
                "paid",
                null,
                null,
                null,
                List.of());
    }
}
