package kr.cancelpay.dev.sandbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** One FIFO of pending faults per endpoint; each fault is taken by exactly one request. */
final class FaultQueues {

    private final Map<ChaiPortSandbox.Endpoint, Queue<Fault>> queues =
            new EnumMap<>(ChaiPortSandbox.Endpoint.class);

    FaultQueues() {
        for (ChaiPortSandbox.Endpoint endpoint : ChaiPortSandbox.Endpoint.values()) {
            queues.put(endpoint, new ConcurrentLinkedQueue<>());
        }
    }

    void enqueue(ChaiPortSandbox.Endpoint endpoint, Fault fault) {
        // Only a cancel moves money, so "executed but the answer was lost" is meaningful only
        // there.
        if (fault.cancelOnly() && endpoint != ChaiPortSandbox.Endpoint.CANCEL) {
            throw new IllegalArgumentException(fault + " applies to CANCEL only, not " + endpoint);
        }
        queues.get(endpoint).add(fault);
    }

    /** The next fault for {@code endpoint}, removed from the queue, or {@code null}. */
    Fault take(ChaiPortSandbox.Endpoint endpoint) {
        return queues.get(endpoint).poll();
    }

    void clear() {
        queues.values().forEach(Queue::clear);
    }
}
