package kr.cancelpay.client;

/** What one attempt to cancel at ChaiPort came to, as far as the money is concerned. */
public sealed interface CancelOutcome {

    /** ChaiPort executed the cancel and answered with the payment after it. */
    record Executed(PgPayment payment) implements CancelOutcome {}

    /** ChaiPort answered and refused: nothing was executed. */
    record Rejected(int pgCode, String pgMessage) implements CancelOutcome {}

    /** The cancel certainly never reached ChaiPort (connection refused, open breaker, no token). */
    record NotSent(String why) implements CancelOutcome {}

    /**
     * It may or may not have been executed (timeout, 5xx, broken connection): ask before trying
     * again.
     */
    record Unknown(String why) implements CancelOutcome {}
}
