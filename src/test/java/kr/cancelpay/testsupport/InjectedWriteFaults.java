package kr.cancelpay.testsupport;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kr.cancelpay.repository.WriteFaults;

/**
 * The tests' {@link WriteFaults}: a test arms a named write to fail the next time(s) it happens, as
 * if MongoDB had gone away at that instant, or to run an action just before it (e.g. change the
 * real document under it, so that the real MongoDB refuses the write). Disarmed, it does nothing.
 * {@code @QuarkusTest} only: the packaged application of the *IT runs keeps production's.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class InjectedWriteFaults implements WriteFaults {

    private final Map<String, AtomicInteger> armed = new ConcurrentHashMap<>();
    private final Map<String, Runnable> before = new ConcurrentHashMap<>();

    /** The next {@code times} writes named {@code write} fail. */
    public void fail(String write, int times) {
        armed.put(write, new AtomicInteger(times));
    }

    /**
     * Runs {@code action} once, just before the next write named {@code write} that is not failed.
     */
    public void before(String write, Runnable action) {
        before.put(write, action);
    }

    public void disarm() {
        armed.clear();
        before.clear();
    }

    @Override
    public void beforeWrite(String write) {
        AtomicInteger left = armed.get(write);
        if (left != null && left.getAndDecrement() > 0) {
            throw new MongoSocketWriteException(
                    "injected: MongoDB gone during " + write,
                    new ServerAddress(),
                    new java.io.IOException("injected"));
        }
        Runnable action = before.remove(write);
        if (action != null) {
            action.run();
        }
    }
}
