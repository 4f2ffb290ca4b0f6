package kr.cancelpay.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The service's own settings, in one place. The root prefix is empty so that the ChaiPort
 * credentials keep the keys merchants already know ({@code chaiport.imp-key}, env {@code
 * CHAIPORT_IMP_KEY}) while our tuning lives under {@code cancelpay.*}.
 */
@ConfigMapping(prefix = "")
public interface CancelPayConfig {

    ChaiPort chaiport();

    Refund cancelpay();

    interface ChaiPort {
        /** REST API key ({@code imp_key}) of the merchant's ChaiPort account. */
        String impKey();

        /** REST API secret ({@code imp_secret}); never logged. */
        String impSecret();

        /**
         * How long before the token's expiry we stop using it and ask for a new one, so a token
         * cannot expire between our check and ChaiPort's.
         */
        @WithDefault("PT60S")
        Duration tokenRefreshMargin();
    }

    interface Refund {
        /**
         * How long a per-order refund lock lasts without renewal; it is renewed before every send
         * unless what is left of the lease still covers the stretch ({@link
         * RequestBudget#leaseStillCovers}). It must outlast the longest stretch of a request
         * between two renewals with the configured timeouts (checked at start-up, see {@link
         * RequestBudget}: about 2 min with the defaults), so a live request keeps its lock; short
         * enough that an instance that crashed mid-refund blocks the order only briefly. Replicas'
         * clocks must agree (NTP) to well within it.
         */
        @WithDefault("PT3M")
        Duration lockLease();

        /** Retry-After (seconds) sent with 409 REFUND_IN_PROGRESS and 503 answers. */
        @WithDefault("5")
        int retryAfterSeconds();

        /**
         * Upper bound for every MongoDB operation; past it the caller gets 503 STORE_UNAVAILABLE.
         */
        @WithDefault("PT5S")
        Duration storeTimeout();

        /**
         * The merchant's collection of payment rows (the guide's {@code payments}), in the database
         * {@link StoreDatabase} names. It must have a unique index on {@code merchant_uid}, checked
         * at start-up.
         */
        @WithDefault("payments")
        String paymentsCollection();

        StoreSetup store();

        Auth auth();

        Reconcile reconcile();

        Idempotency idempotency();

        /**
         * The refund page ({@code cancelpay.ui.enabled}): the static page at {@code /} for people
         * refunding by hand. Off unless turned on (dev mode and the tests turn it on); while off
         * its paths answer 404 like any unknown path ({@code rest.RefundPage}).
         */
        Ui ui();
    }

    interface Ui {
        @WithDefault("false")
        boolean enabled();
    }

    /** {@code Idempotency-Key} on {@code POST /payments/cancel}. */
    interface Idempotency {
        /**
         * How long a key and its first answer are kept (at least 24 h, as Stripe); after that the
         * key may start a new refund. Purged by the janitor, and by a TTL index on a real MongoDB.
         */
        @WithDefault("PT24H")
        Duration retention();
    }

    /**
     * The janitor settling pending refunds nobody settled (lost answers, crashes, MongoDB down
     * after the money moved). How often it runs is {@code cancelpay.reconcile.every} (default 60s,
     * {@code off} disables it), read by the scheduler itself.
     */
    interface Reconcile {
        /**
         * The in-flight window: a send whose answer was lost may still execute at ChaiPort for this
         * long after it left, so "not executed" is not believed (by the request itself, a later
         * one, the webhook or the janitor) until the LAST such send of a refund is older than this.
         */
        @WithDefault("PT30S")
        Duration olderThan();

        /** At most this many orders per run, so one run stays short. */
        @WithDefault("100")
        int batchSize();
    }

    /** What the service may do to the merchant's database at start-up. */
    interface StoreSetup {
        /**
         * {@code false} (production's default): the merchant's collection and its unique {@code
         * merchant_uid} index must exist, or the service refuses to start and prints the mongosh
         * command that creates them. {@code true}: the service creates them itself (and the
         * janitor's index) when missing. The service's own collections are set up either way.
         */
        @WithDefault("false")
        boolean createIndexes();
    }

    interface Auth {
        /**
         * Bearer JWT required on the refund and payment endpoints. Turning it off is for a service
         * behind a gateway that authenticates for it; it is logged as a warning at every start.
         */
        @WithDefault("true")
        boolean enabled();
    }
}
