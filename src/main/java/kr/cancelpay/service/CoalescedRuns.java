package kr.cancelpay.service;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * At most one run of a job per key at a time, and at most one more waiting behind it. Callers that
 * arrive while a run is in flight all share the one run that starts when it ends, and callers that
 * arrive while that one waits share it too: however many come, a key has at most two runs in sight.
 * Why not simply share the run in flight: it may have asked ChaiPort before the event the late
 * caller announces, and answering it from that run would drop the event (ChaiPort would not resend
 * a notification we acknowledged). So every caller is answered by a run that started after it
 * arrived.
 *
 * <p>Each run goes to its end even when every caller hangs up, so a run never leaves a lock or a
 * half-written sync behind; callers only listen.
 */
final class CoalescedRuns {

    private static final class Slot {
        Uni<Void> running;
        Uni<Void> next;
    }

    private final Map<String, Slot> slots = new HashMap<>();

    /** The run that will serve a caller arriving now for {@code key}; {@code job} starts a run. */
    synchronized Uni<Void> join(String key, Supplier<Uni<Void>> job) {
        Slot slot = slots.get(key);
        if (slot == null) {
            Slot fresh = new Slot();
            slots.put(key, fresh);
            fresh.running = start(key, fresh, job, Uni.createFrom().voidItem());
            return fresh.running;
        }
        if (slot.next == null) {
            // Whatever the run in flight ends with, the next one starts after it.
            slot.next = start(key, slot, job, slot.running.onFailure().recoverWithNull());
        }
        return slot.next;
    }

    /** Keys with a run in flight (for tests). */
    synchronized int inFlight() {
        return slots.size();
    }

    private Uni<Void> start(String key, Slot slot, Supplier<Uni<Void>> job, Uni<Void> after) {
        Uni<Void> run =
                after.invoke(() -> begin(slot))
                        .chain(() -> job.get())
                        // Runs before the memoized outcome reaches any caller: a caller told "done"
                        // finds the slot updated.
                        .onTermination()
                        .invoke(() -> end(key, slot))
                        .memoize()
                        .indefinitely();
        run.subscribe().with(ignored -> {}, failure -> {});
        return run;
    }

    /** The waiting run starts: it is now the one in flight, and later callers queue behind it. */
    private synchronized void begin(Slot slot) {
        if (slot.next != null) {
            slot.running = slot.next;
            slot.next = null;
        }
    }

    private synchronized void end(String key, Slot slot) {
        if (slot.next == null && slots.get(key) == slot) {
            slots.remove(key);
        }
    }
}
