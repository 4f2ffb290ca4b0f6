package kr.cancelpay.security;

/** The groups (JWT {@code groups} claim) the endpoints require. */
public final class Roles {

    /** May refund: {@code POST /payments/cancel}. */
    public static final String REFUNDS_WRITE = "refunds:write";

    /** May read payments and their refunds. */
    public static final String REFUNDS_READ = "refunds:read";

    private Roles() {}
}
