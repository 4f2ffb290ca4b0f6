package kr.cancelpay.bench;

/**
 * The benchmark's orders, as both launchers seed them and {@code bench/lib/load.js} asks for them:
 * order {@code i} (0 ≤ i < N) is {@code merchant_uid} {@code bench-<i>}, ChaiPort's {@code imp_uid}
 * {@code imp_bench_<i>}, a card payment of {@link #AMOUNT} won with nothing refunded yet.
 */
final class BenchOrders {

    /** Large enough that thousands of small partial refunds of one order never exhaust it. */
    static final int AMOUNT = 10_000_000;

    static final String PAY_METHOD = "card";

    private BenchOrders() {}

    static String merchantUid(int i) {
        return "bench-" + i;
    }

    static String impUid(int i) {
        return "imp_bench_" + i;
    }
}
