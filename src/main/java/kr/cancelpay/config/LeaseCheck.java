package kr.cancelpay.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Refuses to start when the order lock's lease could run out under a live request (another replica
 * would then take the order over while this one still sends), and logs the worst cases.
 */
public class LeaseCheck {

    private static final Logger LOG = Logger.getLogger(LeaseCheck.class);

    void check(@Observes StartupEvent startup, Config config, CancelPayConfig cancelPay) {
        RequestBudget budget = RequestBudget.of(config, cancelPay.cancelpay().storeTimeout());
        String problem = budget.leaseProblem(cancelPay.cancelpay().lockLease());
        if (problem != null) {
            throw new IllegalStateException(
                    "cancelpay cannot start: "
                            + problem
                            + ". Raise cancelpay.lock-lease or lower the timeouts; see README.md, section 'Timing'.");
        }
        LOG.infof(
                "refund timing: worst case %s per request, at most %s between lock-lease renewals, lease %s",
                budget.wholeRequest(), budget.longestStretch(), cancelPay.cancelpay().lockLease());
    }
}
