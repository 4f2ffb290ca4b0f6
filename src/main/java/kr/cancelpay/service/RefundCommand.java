package kr.cancelpay.service;

/**
 * A validated refund request. {@code amount} is null for "everything still cancelable"; {@code
 * account} is null when no refund account was given; {@code taxFree}, {@code vatAmount} and {@code
 * requester} are null when not given.
 */
public record RefundCommand(
        String merchantUid,
        Long amount,
        String reason,
        RefundAccount account,
        Long taxFree,
        Long vatAmount,
        String requester) {

    public RefundCommand(String merchantUid, Long amount, String reason, RefundAccount account) {
        this(merchantUid, amount, reason, account, null, null, null);
    }

    /**
     * Where a virtual-account payment is paid back. Personal data: {@link #toString()} masks it.
     */
    public record RefundAccount(String holder, String bank, String number) {
        @Override
        public String toString() {
            String tail = number.length() <= 4 ? "" : number.substring(number.length() - 4);
            return "RefundAccount[bank=" + bank + ", number=****" + tail + "]";
        }
    }
}
