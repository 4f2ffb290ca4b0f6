package kr.cancelpay.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.IdempotencyRecord;
import kr.cancelpay.model.Refund;
import kr.cancelpay.repository.IdempotencyKeys;
import kr.cancelpay.repository.RefundLedger;
import kr.cancelpay.repository.StoreUnavailableException;
import kr.cancelpay.repository.StoreWriteRejectedException;
import org.jboss.logging.Logger;

/**
 * {@code Idempotency-Key} on refunds (the IETF draft's rules, as Stripe and PortOne V2 apply them):
 * the key, scoped to the caller, is reserved before anything else happens; the same key and the
 * same request while the first runs is 409 {@code IDEMPOTENCY_KEY_IN_USE}; after it finished, the
 * first answer is replayed (a 202 as the refund's current state); the same key with another request
 * is 422 {@code IDEMPOTENCY_KEY_REUSED}. Answers that say "try again" and moved no money (400, 409
 * {@code REFUND_IN_PROGRESS}, 503) free the key, so the retry they invite may use it. Without a key
 * every request is a new refund.
 */
@ApplicationScoped
public class IdempotentRefunds {

    private static final Logger LOG = Logger.getLogger(IdempotentRefunds.class);

    /** Problems after which the same request may simply be sent again: nothing was executed. */
    private static final Set<String> RETRYABLE =
            Set.of("REFUND_IN_PROGRESS", RefundProblem.PG_UNAVAILABLE);

    private final RefundService refunds;
    private final IdempotencyKeys keys;
    private final RefundLedger ledger;
    private final PaymentSyncService sync;
    private final InFlightRefunds inFlight;
    private final ObjectMapper json;
    private final Duration retention;
    private final Duration lease;
    private final int retryAfterSeconds;

    IdempotentRefunds(
            RefundService refunds,
            IdempotencyKeys keys,
            RefundLedger ledger,
            PaymentSyncService sync,
            InFlightRefunds inFlight,
            ObjectMapper json,
            CancelPayConfig config) {
        this.refunds = refunds;
        this.keys = keys;
        this.ledger = ledger;
        this.sync = sync;
        this.inFlight = inFlight;
        this.json = json;
        this.retention = config.cancelpay().idempotency().retention();
        this.lease = config.cancelpay().lockLease();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    /**
     * @param idempotencyKey the caller's key (already validated), or null
     * @param caller the key's scope: the JWT subject, or {@code anonymous} with auth off
     */
    public Uni<RefundReply> refund(RefundCommand command, String idempotencyKey, String caller) {
        if (idempotencyKey == null) {
            return refunds.refund(new RefundRequest(Refund.newId(), command, null, caller))
                    .map(result -> new RefundReply.Fresh(result, false));
        }
        return reserveOrReplay(command, idempotencyKey, caller, true);
    }

    /** {@code mayRetry}: the key was freed between our insert and our read once; try once more. */
    private Uni<RefundReply> reserveOrReplay(
            RefundCommand command, String key, String caller, boolean mayRetry) {
        Instant now = Instant.now();
        String scopedKey = scopedKey(caller, key);
        IdempotencyRecord record =
                new IdempotencyRecord(
                        scopedKey,
                        caller,
                        key,
                        fingerprint(command),
                        Refund.newId(),
                        null,
                        now,
                        now.plus(retention),
                        now.plus(lease));
        return keys.reserve(record)
                .flatMap(
                        reserved -> {
                            if (reserved) {
                                return run(record, command);
                            }
                            return keys.find(scopedKey)
                                    .flatMap(
                                            first -> {
                                                if (first == null) {
                                                    // Freed between our insert and this read: this
                                                    // request may have it.
                                                    return mayRetry
                                                            ? reserveOrReplay(
                                                                    command, key, caller, false)
                                                            : Uni.createFrom()
                                                                    .failure(
                                                                            RefundProblem
                                                                                    .idempotencyKeyInUse(
                                                                                            retryAfterSeconds));
                                                }
                                                return replay(first, record, command, caller);
                                            });
                        });
    }

    /**
     * The first request with the key: run it, then keep its answer, free the key, or (when the
     * store failed and it cannot tell what it recorded) end its lease so a retry looks at the
     * ledger. Detached like the refund itself: a caller who hangs up must not leave the key
     * half-done.
     */
    private Uni<RefundReply> run(IdempotencyRecord record, RefundCommand command) {
        Uni<RefundReply> flow =
                refunds.refund(
                                new RefundRequest(
                                        record.refundId(), command, record.key(), record.scope()))
                        .onItemOrFailure()
                        .transformToUni(
                                (result, failure) -> {
                                    if (failure == null) {
                                        return keys.finish(
                                                        record.refundId(),
                                                        stored(
                                                                result
                                                                                instanceof
                                                                                RefundResult.Pending
                                                                        ? 202
                                                                        : 200,
                                                                result.answer()))
                                                .onFailure()
                                                .recoverWithNull()
                                                .replaceWith(
                                                        (RefundReply)
                                                                new RefundReply.Fresh(
                                                                        result, false));
                                    }
                                    return afterFailure(record, failure)
                                            .onFailure()
                                            .recoverWithNull()
                                            .onItem()
                                            .transformToUni(
                                                    ignored ->
                                                            Uni.createFrom()
                                                                    .<RefundReply>failure(failure));
                                });
        return inFlight.detach(flow);
    }

    private Uni<Void> afterFailure(IdempotencyRecord record, Throwable failure) {
        if (failure instanceof RefundProblem problem) {
            // 400s and "try again" answers moved no money: the retry they invite may use the key.
            return problem.status() == 400 || RETRYABLE.contains(problem.code())
                    ? keys.release(record.refundId())
                    : keys.finish(record.refundId(), stored(problem.status(), problem.body()));
        }
        if (failure instanceof StoreUnavailableException
                || failure instanceof StoreWriteRejectedException) {
            // It may have recorded (even sent) its refund before MongoDB went away or refused a
            // write:
            // never free the key, and keep no answer; a retry looks at the ledger first.
            return keys.endLease(record.refundId());
        }
        return keys.finish(record.refundId(), stored(500, RefundProblem.internalError().body()));
    }

    private Uni<RefundReply> replay(
            IdempotencyRecord first,
            IdempotencyRecord retry,
            RefundCommand command,
            String caller) {
        if (!first.fingerprint().equals(retry.fingerprint())) {
            return Uni.createFrom().failure(RefundProblem.idempotencyKeyReused());
        }
        if (first.finished() && replayableAsKept(first.answer())) {
            return Uni.createFrom()
                    .item(new RefundReply.Stored(first.answer().status(), first.answer().body()));
        }
        if (!first.finished()
                && first.leaseUntil() != null
                && first.leaseUntil().isAfter(Instant.now())) {
            return Uni.createFrom().failure(RefundProblem.idempotencyKeyInUse(retryAfterSeconds));
        }
        // A 202 is replayed as the refund's current state; so is a first request that died midway
        // (and a 200 kept in an outdated shape).
        return ledger.find(first.refundId())
                .flatMap(
                        refund -> {
                            if (refund != null && refund.isOpen()) {
                                // The caller retried to learn the outcome: try to settle it now,
                                // then tell.
                                return sync.settleOpenRefund(refund)
                                        .onFailure()
                                        .recoverWithNull()
                                        .flatMap(ignored -> ledger.find(refund.id()))
                                        .flatMap(this::currentState);
                            }
                            if (refund != null) {
                                return currentState(refund);
                            }
                            if (first.finished()) {
                                return Uni.createFrom()
                                        .failure(
                                                RefundProblem.idempotencyKeyInUse(
                                                        retryAfterSeconds));
                            }
                            // The first request stopped before recording a refund, so nothing was
                            // sent: start over, if
                            // this retry is the one that takes the key over (one update; of several
                            // retries one wins).
                            LOG.infof(
                                    "Idempotency-Key of %s: the first request stopped before recording refund %s; starting over",
                                    caller, first.refundId());
                            return keys.takeOver(first.refundId(), retry)
                                    .flatMap(
                                            takenOver ->
                                                    takenOver
                                                            ? run(retry, command)
                                                            : Uni.createFrom()
                                                                    .failure(
                                                                            RefundProblem
                                                                                    .idempotencyKeyInUse(
                                                                                            retryAfterSeconds)));
                        });
    }

    private Uni<RefundReply> currentState(Refund refund) {
        return sync.figures(refund.merchantUid())
                .map(
                        payment -> {
                            try {
                                return new RefundReply.Fresh(refunds.answer(refund, payment), true);
                            } catch (RefundProblem failed) {
                                IdempotencyRecord.StoredAnswer answer =
                                        stored(failed.status(), failed.body());
                                return new RefundReply.Stored(answer.status(), answer.body());
                            }
                        });
    }

    /**
     * Whether a kept answer can be replayed as it is: problems always; a 200 only if it has today's
     * shape ({@code {refund, payment}}). One kept before the answers named their amounts is
     * rendered again from the ledger instead, so a replay never answers in an outdated shape.
     */
    private boolean replayableAsKept(IdempotencyRecord.StoredAnswer answer) {
        if (answer.status() == 202) {
            return false;
        }
        if (answer.status() != 200) {
            return true;
        }
        try {
            return json.readTree(answer.body()).has("refund");
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private IdempotencyRecord.StoredAnswer stored(int status, Object body) {
        try {
            return new IdempotencyRecord.StoredAnswer(status, json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }

    /** The key as stored: one caller's key can never meet another's. */
    static String scopedKey(String caller, String key) {
        return sha256(caller + "\n" + key);
    }

    /** What makes two requests "the same": every field of the command, hashed (the account too). */
    static String fingerprint(RefundCommand command) {
        RefundCommand.RefundAccount account = command.account();
        return sha256(
                String.join(
                        "\u001f",
                        command.merchantUid(),
                        Objects.toString(command.amount()),
                        command.reason(),
                        account == null ? "" : account.holder(),
                        account == null ? "" : account.bank(),
                        account == null ? "" : account.number(),
                        Objects.toString(command.taxFree()),
                        Objects.toString(command.vatAmount()),
                        Objects.toString(command.requester())));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
