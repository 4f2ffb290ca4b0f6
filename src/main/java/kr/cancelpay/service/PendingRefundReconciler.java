package kr.cancelpay.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.repository.PaymentRepository;

/**
 * The janitor (after Kill Bill's): a refund left pending — its answer lost and ChaiPort unable to
 * tell at the time, the instance crashed, or MongoDB down just after the money moved — is settled
 * here by asking ChaiPort, without waiting for another request or a webhook. Safe on every replica
 * at once: each order is settled under its lock, and an order being worked on is skipped.
 */
@ApplicationScoped
public class PendingRefundReconciler {

    private static final Logger LOG = Logger.getLogger(PendingRefundReconciler.class);

    private final PaymentRepository payments;
    private final PaymentSyncService sync;
    private final CancelPayConfig.Reconcile settings;

    PendingRefundReconciler(PaymentRepository payments, PaymentSyncService sync, CancelPayConfig config) {
        this.payments = payments;
        this.sync = sync;
        this.settings = config.cancelpay().reconcile();
    }

    @Scheduled(identity = "pending-refund-reconciler", every = "${cancelpay.reconcile.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reconcile().replaceWithVoid();
    }

    /** Settles what it can; answers how many orders it looked at. */
    public Uni<Integer> reconcile() {
        return payments.findMerchantUidsPendingSince(Instant.now().minus(settings.olderThan()), settings.batchSize())
                .flatMap(merchantUids -> merchantUids.isEmpty() ? Uni.createFrom().item(0)
                        : Multi.createFrom().iterable(merchantUids)
                                .onItem().transformToUniAndConcatenate(merchantUid -> sync.syncFromChaiPort(merchantUid)
                                        .onFailure().recoverWithItem(failure -> {
                                            LOG.infof("pending refund of %s not settled this time: %s", merchantUid,
                                                    failure.getMessage());
                                            return null;
                                        }))
                                .collect().asList().map(ignored -> merchantUids.size()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("pending-refund reconciliation skipped: %s", failure.getMessage());
                    return 0;
                });
    }
}
