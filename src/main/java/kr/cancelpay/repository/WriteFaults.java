package kr.cancelpay.repository;

/**
 * Called before every write of the refund flow with the write's name ({@code ledger.transition},
 * {@code payments.syncFigures}, ...). Production's does nothing ({@link NoWriteFaults}); the tests
 * replace it to make one chosen write fail as a MongoDB outage would, and prove that the next
 * request, the webhook or the janitor finishes what the failed write left undone.
 */
public interface WriteFaults {

    void beforeWrite(String write);
}
