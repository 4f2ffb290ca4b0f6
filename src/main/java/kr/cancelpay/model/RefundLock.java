package kr.cancelpay.model;

import java.util.Date;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The per-order lock ({@code cancelpay_lock}): who holds it and until when. It lives in the payment
 * document so that every replica sees it; the lease lets another replica take over an order whose
 * holder crashed.
 */
@RegisterForReflection
public class RefundLock {

    public static final String FIELD = "cancelpay_lock";

    /** The refund id of the request holding the lock. */
    public String owner;

    public Date until;
}
